// What the seed-client tests (e2e/seed*.test.mjs) share: a seed client's socket is the runtime's
// own WebSocket (Node's built-in, as a browser's), with no SDK; this file only keeps what arrived so
// a test can wait for it (never a fixed sleep), and makes HTTP calls without throwing on 4xx.
import { after } from "node:test";
import { BASE, WAIT_MS } from "./helpers.mjs";

/** Every socket a test file opened; closed after its last test, so a failed test never keeps the file's process alive. */
const opened = new Set();
after(() => {
  for (const s of opened) s.close();
});

export const WS_BASE = BASE.replace(/^http/, "ws");

/** A short random suffix, so reruns against one server never collide. */
export const unique = () => crypto.randomUUID().slice(0, 8);

/** A random integer id of the kind the seeds' databases hand out (seed 002's session ids, seed 004's user ids). */
export const intId = (min = 100_000, span = 900_000) => min + Math.floor(Math.random() * span);

/** One HTTP call as an app's backend makes it: `{status, json}`, whatever the status. */
export async function call(method, path, token, body, headers = {}) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(WAIT_MS),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

/**
 * A WebSocket as a seed's page holds it. Every frame is kept; `waitFor` hands out the first frame
 * not handed out yet that matches, so waits may come in any order without losing frames.
 */
export class SeedSocket {
  /** @param {string} url a ws:// URL, or a path on the server under test */
  constructor(url, protocols) {
    this.url = url.startsWith("ws") ? url : `${WS_BASE}${url}`;
    this.ws = protocols ? new WebSocket(this.url, protocols) : new WebSocket(this.url);
    this.frames = [];
    this.taken = new Set();
    this.closed = null;
    this.opened = false;
    this.onFrame = null;
    opened.add(this);
    this.ws.addEventListener("open", () => (this.opened = true));
    this.ws.addEventListener("message", (e) => {
      let frame;
      try {
        frame = JSON.parse(typeof e.data === "string" ? e.data : "");
      } catch {
        frame = { text: String(e.data) };
      }
      this.frames.push(frame);
      this.onFrame?.(frame);
    });
    this.ws.addEventListener("close", (e) => (this.closed = { code: e.code, reason: e.reason, at: Date.now() }));
  }

  /** Opens `url` and waits for `open` (throws with the close code if it is refused first). */
  static async open(url, protocols) {
    const s = new SeedSocket(url, protocols);
    await s.until(() => s.opened || s.closed, "open");
    if (!s.opened) throw new Error(`socket ${s.url.replace(/token=[^&]+/, "token=…")} closed before open: ${JSON.stringify(s.closed)}`);
    return s;
  }

  send(frame) {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first frame not handed out yet for which `pred(frame)` holds (waits up to `ms`). */
  async waitFor(pred, what, ms = WAIT_MS) {
    let hit;
    await this.until(
      () => {
        const i = this.frames.findIndex((f, k) => !this.taken.has(k) && pred(f));
        if (i < 0) return false;
        this.taken.add(i);
        hit = this.frames[i];
        return true;
      },
      what,
      ms,
      true,
    );
    return hit;
  }

  /** `waitFor` a frame of this `type` (seeds 000, 001, 003, 004) or `event` (seed 002). */
  waitType(type, extra = () => true, ms = WAIT_MS) {
    return this.waitFor((f) => (f.type === type || f.event === type) && extra(f), `a ${type} frame`, ms);
  }

  /** Waits for the close event (the time a refusal takes is another branch's work: the bound is generous). */
  async waitClosed(ms = 30_000) {
    await this.until(() => this.closed, "close", ms);
    return this.closed;
  }

  close(code = 1000) {
    try {
      this.ws.close(code);
    } catch {
      // already closed
    }
  }

  async until(cond, what, ms = WAIT_MS, failOnClose = false) {
    const deadline = Date.now() + ms;
    for (;;) {
      if (cond()) return;
      if (failOnClose && this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) while waiting for ${what}; last frames: ${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; last frames: ${this.tail()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  tail(n = 6) {
    return JSON.stringify(this.frames.slice(-n)).slice(0, 2000);
  }
}
