import { describe, expect, it } from "vitest";
import { CurrentSocket } from "./currentSocket.js";
import type { WebSocketLike } from "./webSocketLike.js";

function fake(readyState: number): WebSocketLike & { sent: string[] } {
  const sent: string[] = [];
  return { readyState, sent, send: (text) => sent.push(text), close: () => {}, addEventListener: () => {} };
}

describe("CurrentSocket", () => {
  it("sends only on an open socket", () => {
    const current = new CurrentSocket();
    expect(current.send("a")).toBe(false);
    const connecting = fake(0);
    current.attach(connecting);
    expect(current.send("b")).toBe(false);
    const open = fake(1);
    current.attach(open);
    expect(current.send("c")).toBe(true);
    expect([connecting.sent, open.sent]).toEqual([[], ["c"]]);
  });

  it("detach ends the generation, and hands back a socket only while it is connecting or open", () => {
    const current = new CurrentSocket();
    const first = current.generation;
    const open = fake(1);
    current.attach(open);
    expect(current.detach()).toBe(open);
    expect(current.isCurrent(first)).toBe(false);
    expect(current.isCurrent(current.generation)).toBe(true);
    expect(current.open).toBeUndefined();
    current.attach(fake(2));
    expect(current.detach()).toBeUndefined();
    expect(current.generation).toBe(first + 2);
  });
});
