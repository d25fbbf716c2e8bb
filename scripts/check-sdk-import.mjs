#!/usr/bin/env node
// Smoke test of the built SDK (run scripts/build-sdk.mjs first): imports `@hearth/client` (the
// workspace package, packages/client) by name through its `exports` from plain Node (no bundler,
// no TS loader), checks the runtime exports, and constructs a HearthSocket with a stub WebSocket so
// nothing connects; then imports `@hearth/client/react` and server-renders useHearth
// (react-dom/server). Last, the root package's `hearth/client` exports (kept for code written
// before the split) must hand out the very same modules.
const EXPECTED = {
  HearthSocket: "function",
  feedSocket: "function",
  isFeedEvent: "function",
  HearthClientError: "function",
  CLOSE_CODES: "object",
  closePolicy: "function",
  backoffDelay: "function",
  DEFAULT_BACKOFF: "object",
  browserLifecycle: "function",
};

function fail(message) {
  console.error(`sdk: ${message}`);
  process.exit(1);
}

let sdk;
try {
  sdk = await import("@hearth/client");
} catch (error) {
  fail(`import("@hearth/client") failed (run node scripts/build-sdk.mjs?): ${error?.stack ?? error}`);
}

for (const [name, type] of Object.entries(EXPECTED)) {
  if (typeof sdk[name] !== type) fail(`export ${name} is ${typeof sdk[name]}, expected ${type}`);
}

// A WebSocket stand-in that never touches the network.
const opened = [];
class StubWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  readyState = 0;
  constructor(url, protocols) {
    opened.push({ url: String(url), protocols });
  }
  addEventListener() {}
  removeEventListener() {}
  send() {}
  close() {
    this.readyState = 3;
  }
}

try {
  const socket = new sdk.HearthSocket({
    url: "ws://127.0.0.1:9/ws/check",
    token: "check",
    WebSocket: StubWebSocket,
    lifecycle: false,
    pingIntervalMs: 0,
  });
  if (typeof socket.state !== "string") fail(`HearthSocket.state is ${typeof socket.state}`);
  socket.close();
  if (socket.state !== "closed") fail(`HearthSocket.state after close() is ${socket.state}`);
} catch (error) {
  fail(`constructing HearthSocket failed: ${error?.stack ?? error}`);
}

const count = Object.keys(sdk).length;
console.log(`sdk: @hearth/client imports from plain Node (${count} exports)`);

// @hearth/client/react: its own entry (react stays out of @hearth/client), sharing the core's
// classes through a chunk, and a server render of the hook that must not create a socket.
let sdkReact;
try {
  sdkReact = await import("@hearth/client/react");
} catch (error) {
  fail(`import("@hearth/client/react") failed: ${error?.stack ?? error}`);
}
if (typeof sdkReact.useHearth !== "function") fail(`@hearth/client/react: useHearth is ${typeof sdkReact.useHearth}`);
if (typeof sdkReact.HearthStore !== "function") fail(`@hearth/client/react: HearthStore is ${typeof sdkReact.HearthStore}`);
try {
  const { createElement } = await import("react");
  const { renderToString } = await import("react-dom/server");
  function Badge() {
    const { state, socket } = sdkReact.useHearth({ url: "ws://127.0.0.1:9/ws/check", token: "check", WebSocket: StubWebSocket, lifecycle: false });
    return createElement("b", null, `${state}:${socket === undefined ? "no-socket" : "socket"}`);
  }
  const before = opened.length;
  const html = renderToString(createElement(Badge));
  if (html !== "<b>idle:no-socket</b>") fail(`renderToString(useHearth) gave ${html}`);
  if (opened.length !== before) fail("a server render of useHearth opened a WebSocket");
  const store = new sdkReact.HearthStore({ url: "ws://127.0.0.1:9/ws/check", token: "check", WebSocket: StubWebSocket, lifecycle: false, pingIntervalMs: 0 });
  const stop = store.subscribe(() => {});
  if (!(store.socket instanceof sdk.HearthSocket)) fail("HearthStore's socket is not @hearth/client's HearthSocket (entries do not share the core)");
  stop();
  await Promise.resolve();
  if (store.socket !== undefined || store.getSnapshot().state !== "closed") fail("HearthStore kept its socket after the last unsubscribe");
} catch (error) {
  fail(`rendering useHearth with react-dom/server failed: ${error?.stack ?? error}`);
}
console.log(`sdk: @hearth/client/react imports from plain Node; useHearth renders with react-dom/server`);

// The root package's aliases resolve to the same files (one module instance, one HearthSocket class).
try {
  const [alias, aliasReact] = await Promise.all([import("hearth/client"), import("hearth/client/react")]);
  if (alias.HearthSocket !== sdk.HearthSocket) fail("hearth/client is not the same module as @hearth/client");
  if (aliasReact.useHearth !== sdkReact.useHearth) fail("hearth/client/react is not the same module as @hearth/client/react");
} catch (error) {
  fail(`the root's hearth/client exports failed: ${error?.stack ?? error}`);
}
console.log("sdk: hearth/client and hearth/client/react (root aliases) are the same modules");
