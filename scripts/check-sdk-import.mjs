#!/usr/bin/env node
// Smoke test of the built SDK (run scripts/build-sdk.mjs first): imports `hearth/client`
// through the package's own `exports` from plain Node (no bundler, no TS loader), checks the
// runtime exports, and constructs a HearthSocket with a stub WebSocket so nothing connects.
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
  sdk = await import("hearth/client");
} catch (error) {
  fail(`import("hearth/client") failed (run node scripts/build-sdk.mjs?): ${error?.stack ?? error}`);
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
console.log(`sdk: hearth/client imports from plain Node (${count} exports)`);
