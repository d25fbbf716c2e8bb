import { describe, expect, it } from "vitest";
import { connectRequest, openWebSocket } from "./openWebSocket.js";
import type { WebSocketLike } from "./webSocketLike.js";

/** A socket that records how it was made and lets the test fire its events. */
class Recorder implements WebSocketLike {
  static last: Recorder | undefined;
  readyState = 0;
  readonly listeners = new Map<string, (event: unknown) => void>();
  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    Recorder.last = this;
  }
  send(): void {}
  close(): void {}
  addEventListener(type: string, listener: (event: unknown) => void): void {
    this.listeners.set(type, listener);
  }
}

const settings = { url: "https://hearth.test/ws/rooms/r1", params: { batch: "1" }, tokenIn: "protocol" as const, WebSocketImpl: Recorder };

describe("openWebSocket", () => {
  it("opens the attempt's request (token, cursor) and hands its events on, 1006 when the close has no code", () => {
    const seen: unknown[] = [];
    openWebSocket(settings, "jwt", { seq: 4, epoch: "e1" }, {
      open: () => seen.push("open"),
      message: (data) => seen.push(data),
      close: (code, reason) => seen.push([code, reason]),
    });
    const socket = Recorder.last!;
    expect(socket.url).toBe("wss://hearth.test/ws/rooms/r1?batch=1&since=4&epoch=e1");
    expect(socket.protocols).toEqual(["hearth", "bearer.jwt"]);
    socket.listeners.get("open")!({});
    socket.listeners.get("message")!({ data: "pong" });
    socket.listeners.get("close")!({});
    socket.listeners.get("close")!({ code: 4001, reason: "expired" });
    expect(seen).toEqual(["open", "pong", [1006, ""], [4001, "expired"]]);
  });

  it("connectRequest throws on a URL it can't resolve (no page location in Node)", () => {
    expect(() => connectRequest({ ...settings, url: "/ws/rooms/r1" })).toThrow();
    expect(connectRequest(settings).url).toBe("wss://hearth.test/ws/rooms/r1?batch=1");
  });
});
