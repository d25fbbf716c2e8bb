import { SELF } from "cloudflare:test";

export type Frame = Record<string, unknown>;

/**
 * A real WebSocket into the Worker with an explicit frame queue: tests await
 * `next()` instead of sleeping, so they are deterministic.
 */
export class TestSocket {
  readonly frames: Frame[] = [];
  readonly raw: string[] = [];
  closed: { code: number; reason: string } | null = null;
  #waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (e) => {
      const text = typeof e.data === "string" ? e.data : "";
      // A `pong` answers the oldest `ping` still unanswered: one of drain()'s probes is not a
      // frame of the test's (the runtime answers pings in order, after what the room sent before).
      if (text === "pong" && this.#pings.length > 0 && this.#pings.shift() === "probe") {
        this.#probesAnswered++;
        this.#wake();
        return;
      }
      this.raw.push(text);
      try {
        this.frames.push(JSON.parse(text) as Frame);
      } catch {
        this.frames.push({ text });
      }
      this.#wake();
    });
    ws.addEventListener("close", (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this.#wake();
    });
  }

  #wake() {
    for (const w of this.#waiters.splice(0)) w();
  }

  #read = 0;

  /** The next frame not yet read (waits up to `ms`). */
  async next(ms = 2000): Promise<Frame> {
    await this.#until(() => this.frames.length > this.#read, ms, "a frame");
    return this.frames[this.#read++]!;
  }

  /** Reads frames until one matches; returns it (frames skipped on the way stay in `frames`). */
  async nextMatching(pred: (f: Frame) => boolean, ms = 2000): Promise<Frame> {
    for (;;) {
      const f = await this.next(ms);
      if (pred(f)) return f;
    }
  }

  /** Who sent each `ping` still waiting for its `pong`, oldest first: the test or drain(). */
  #pings: ("test" | "probe")[] = [];
  #probesSent = 0;
  #probesAnswered = 0;

  /** Waits until a frame matching `pred` has arrived (read or not); reads nothing. */
  async waitFor(pred: (f: Frame) => boolean, ms = 2000): Promise<void> {
    await this.#until(() => this.frames.some(pred), ms, "a matching frame");
  }

  /**
   * Everything not yet read, once what the room sent before now has landed. No sleep: it
   * sends a `ping` probe, which the runtime answers with `pong` after every frame already
   * sent on this socket, and waits for that answer (the probe's pong is not a frame).
   * The runtime answers a ping without waiting for the room to handle frames sent before it
   * (measured: always ahead of the reply to the frame just before), so a test that sent a
   * frame, or closed a socket, first waits for a sign that the room handled it (its reply, a
   * later frame's reply, a figure) before it drains. HTTP calls and joins are already handled
   * when they answer. `drain(0)` takes what has arrived without a probe.
   */
  async drain(settleMs?: number): Promise<Frame[]> {
    if (settleMs === 0) await new Promise((r) => setTimeout(r, 0));
    else await this.settle();
    const out = this.frames.slice(this.#read);
    this.#read = this.frames.length;
    return out;
  }

  /** Waits until every frame the room sent on this socket before now has arrived (see drain). */
  async settle(ms = 5000): Promise<void> {
    if (this.closed) return;
    try {
      this.#pings.push("probe");
      this.ws.send("ping");
    } catch {
      this.#pings.pop();
      return;
    }
    const mine = ++this.#probesSent;
    try {
      await this.#until(() => this.#probesAnswered >= mine, ms, "the pong of a drain probe");
    } catch (err) {
      // Closed under us: everything it sent before the close has arrived.
      if (!this.closed) throw err;
    }
  }

  async waitClosed(ms = 2000): Promise<{ code: number; reason: string }> {
    await this.#until(() => this.closed !== null, ms, "close");
    return this.closed!;
  }

  send(frame: Frame | string) {
    if (frame === "ping") this.#pings.push("test");
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  close(code = 1000) {
    try {
      this.ws.close(code);
    } catch {
      /* already closed */
    }
  }

  async #until(cond: () => boolean, ms: number, what: string) {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (this.closed && what !== "close") throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) while waiting for ${what}; frames: ${JSON.stringify(this.frames.slice(-5))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; last frames: ${JSON.stringify(this.frames.slice(-5))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
}

/** Opens a socket; returns the socket or the HTTP response that refused it. */
export async function connect(path: string, init: { headers?: Record<string, string> } = {}): Promise<{ socket: TestSocket; response: Response } | { socket: null; response: Response }> {
  const response = await SELF.fetch(`https://hearth.test${path}`, { headers: { Upgrade: "websocket", ...init.headers } });
  const ws = response.webSocket;
  if (!ws) return { socket: null, response };
  const socket = new TestSocket(ws);
  ws.accept();
  return { socket, response };
}

/** Opens a socket that must be accepted. */
export async function open(path: string, init: { headers?: Record<string, string> } = {}): Promise<TestSocket> {
  const r = await connect(path, init);
  if (!r.socket) throw new Error(`upgrade refused: ${r.response.status} ${await r.response.text()}`);
  return r.socket;
}

export async function api(method: string, path: string, tokenValue: string | null, body?: unknown, headers: Record<string, string> = {}) {
  const res = await SELF.fetch(`https://hearth.test${path}`, {
    method,
    headers: {
      ...(tokenValue ? { Authorization: `Bearer ${tokenValue}` } : {}),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: res.status, json, headers: res.headers };
}
