// Shared pieces of the browser tests: Chromium, one browser context per user,
// reading the demo's DOM, HTTP calls, and a TCP proxy that can cut a page off.
import { mkdirSync } from "node:fs";
import { createServer, connect } from "node:net";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

export const BASE = process.env.HEARTH_E2E_URL ?? "http://127.0.0.1:8787";
export const ARTIFACTS = new URL("./artifacts/", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

/** Every wait in the suite is bounded by this (playwright's own default is 30 s). */
export const WAIT_MS = 15_000;

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    timeout: WAIT_MS,
  });
}

/**
 * A user = a browser context (own sessionStorage, so the demo makes a new
 * random `sub`). Console errors and page errors are collected for asserts.
 */
export async function openUser(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  await page.goto(url);
  return { page, context, problems };
}

export function badge(page) {
  return page.locator("[data-testid=badge]");
}

/** Waits until the connection badge shows `state` (connecting | live | reconnecting | closed). */
export async function waitForBadge(page, state, timeout = WAIT_MS) {
  await page.waitForFunction((s) => document.querySelector("[data-testid=badge]")?.getAttribute("data-state") === s, state, { timeout });
}

/** This tab's user id and name, as the demo shows them in the header. */
export async function whoAmI(page) {
  return {
    name: (await page.locator("[data-testid=me]").textContent())?.trim(),
    sub: (await page.locator("#identity code").textContent())?.trim(),
  };
}

export async function shareLink(page) {
  return page.locator("[data-testid=share-link]").inputValue();
}

/** The logged frames in the live log, in DOM order: {seq, type, deltas, text, anomaly, history}. */
export async function logEntries(page) {
  return page.$$eval("[data-testid=log] li[data-seq]", (items) =>
    items.map((li) => ({
      seq: Number(li.dataset.seq),
      type: li.dataset.type ?? li.dataset.tag ?? "",
      deltas: li.dataset.deltas ?? "",
      text: li.querySelector(".body")?.textContent ?? "",
      anomaly: li.dataset.anomaly ?? null,
      history: li.dataset.history !== undefined,
    })),
  );
}

/** The log's counters (frames, lastSeq, reconnects, resumes, fallbacks, anomalies) as numbers. */
export async function logStats(page) {
  const data = await page.locator("[data-testid=stats]").evaluate((el) => ({ ...el.dataset }));
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Number(v)]));
}

/** Waits until some logged entry satisfies `predicate(entry)` (a function run in Node, polled). */
export async function waitForEntry(page, predicate, what, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const entries = await logEntries(page);
    const hit = entries.find(predicate);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}; log has ${JSON.stringify(entries.map((e) => `${e.seq} ${e.deltas || e.type}: ${e.text}`), null, 1)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls `check()` (async, Node side) until it returns a truthy value. */
export async function until(check, what, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function devToken(claims) {
  const res = await fetch(`${BASE}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(claims), signal: AbortSignal.timeout(WAIT_MS) });
  if (!res.ok) throw new Error(`/dev/token: ${res.status} ${await res.text()}`);
  return (await res.json()).token;
}

export async function api(method, path, token, body) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(WAIT_MS),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Saves a screenshot of `page` to e2e/artifacts/<name>.png (full page). */
export async function screenshot(page, name) {
  const path = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Runs `body(users)` and closes every user's context afterwards; when it
 * throws, first saves a screenshot of each page as failed-<name>-<i>.png.
 */
export async function withUsers(name, body) {
  const users = [];
  try {
    await body(users);
  } catch (error) {
    for (const [i, user] of users.entries()) await screenshot(user.page, `failed-${name}-${i}`).catch(() => {});
    throw error;
  } finally {
    for (const user of users) await user.context.close().catch(() => {});
  }
}

/**
 * A TCP proxy in front of wrangler. A page loaded through it has every
 * connection (HTTP and its WebSocket) pass here, so `cut()` is a real network
 * failure for that page only: open connections are destroyed (the browser
 * reports close 1006, the server sees the socket go) and new ones are refused
 * until `restore()`. `refused` counts connection attempts made while cut.
 */
export async function startProxy(targetUrl) {
  const target = new URL(targetUrl);
  const open = new Set();
  const state = { down: false, refused: 0, accepted: 0 };
  const server = createServer((client) => {
    if (state.down) {
      state.refused++;
      client.destroy();
      return;
    }
    state.accepted++;
    const upstream = connect(Number(target.port), target.hostname);
    const pair = { client, upstream };
    open.add(pair);
    const drop = () => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    cut() {
      state.down = true;
      for (const { client, upstream } of open) {
        // resetAndDestroy sends RST where available: the abrupt end a dead network looks like.
        if (typeof client.resetAndDestroy === "function") client.resetAndDestroy();
        else client.destroy();
        upstream.destroy();
      }
      open.clear();
    },
    restore() {
      state.down = false;
    },
    async close() {
      this.cut();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** `url` with its origin swapped for `origin` (share links point at the server that made them). */
export function onOrigin(url, origin) {
  const u = new URL(url);
  const o = new URL(origin);
  u.protocol = o.protocol;
  u.host = o.host;
  return u.toString();
}

/**
 * A test file's one browser: launched before its first test and closed after its last, with the
 * proxy a test left in `file.proxy` (so a failing test never leaks one into the next file).
 */
export function browserPerFile() {
  const file = { browser: undefined, proxy: undefined };
  before(async () => {
    file.browser = await launch();
  });
  after(async () => {
    await file.proxy?.close();
    await file.browser?.close();
  });
  return file;
}
