import { describe, expect, it } from "vitest";
import { feedSocket, isFeedEvent } from "./feedSocket.js";
import { FakeClock } from "./testing/fakeClock.js";
import { fakeWebSocketClass } from "./testing/fakeWebSocket.js";

const event = { type: "teams.locked", tournamentId: "t", data: {}, timestamp: "2024-01-01T12:00:10.000Z", seq: 3, epoch: "e1" };

describe("feedSocket", () => {
  it("opens /ws/feed for the named feed and resumes from the last event it saw", async () => {
    const { WebSocket, sockets } = fakeWebSocketClass();
    const clock = new FakeClock();
    const client = feedSocket({ url: "wss://hearth.test/ws/feed", feed: "ops", token: "jwt", WebSocket, clock, random: () => 0.5, lifecycle: false });
    const got: unknown[] = [];
    client.on("frame", (f) => isFeedEvent(f) && got.push(f.seq));
    await clock.advance(0);
    const first = sockets[0]!;
    expect(first.query.get("feed")).toBe("ops");
    first.open({ snapshot: { epoch: "e1" } });
    first.receive(event);
    first.serverClose(4010, "Connection age limit reached");
    await clock.advance(5_000);
    const second = sockets[sockets.length - 1]!;
    expect(second).not.toBe(first);
    expect([second.query.get("feed"), second.query.get("since"), second.query.get("epoch")]).toEqual(["ops", "3", "e1"]);
    expect(got).toEqual([3]);
    client.close();
  });

  it("tells feed events from snapshots, pongs and acks", () => {
    expect(isFeedEvent(event)).toBe(true);
    expect(isFeedEvent({ type: "snapshot", seq: 0, epoch: "e", state: {} })).toBe(false);
    expect(isFeedEvent({ type: "pong", timestamp: "x" })).toBe(false);
    expect(isFeedEvent({ type: "ack", message: "Message received" })).toBe(false);
  });
});
