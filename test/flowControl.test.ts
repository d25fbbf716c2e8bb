import { afterEach, describe, expect, it, vi } from "vitest";
import { joinAs, newRoom, publish } from "./helpers/rooms.ts";
import { api, type TestSocket } from "./helpers/socket.ts";
import { adminToken } from "./helpers/tokens.ts";

/** A cursor frame saying what `s` has received so far ([F1]): wire frames and their `length`. */
const cursorOf = (s: TestSocket) => ({ type: "cursor", frames: s.raw.length, chars: s.raw.reduce((n, t) => n + t.length, 0) });

describe("[F2] flow control over real sockets (workerd)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("[F2] a socket that acknowledged once and then stops is closed 4011 at the bound; a peer that keeps acknowledging gets every frame", async () => {
    // [F3] off: this test is about acknowledging sockets only.
    const roomId = await newRoom({ limits: { maxUnackedBytes: 2048, maxSilentBytes: null } });
    const staller = await joinAs(roomId, "staller");
    const peer = await joinAs(roomId, "peer");
    await staller.socket.drain();
    await peer.socket.drain();
    staller.socket.send(cursorOf(staller.socket));
    peer.socket.send(cursorOf(peer.socket));
    for (let i = 0; i < 40; i++) {
      expect((await publish(roomId, "x".repeat(100))).status).toBe(200);
      await peer.socket.nextMatching((f) => f.type === "publish" && f.data === "x".repeat(100));
      if (i % 5 === 4) peer.socket.send(cursorOf(peer.socket));
    }
    expect(await staller.socket.waitClosed()).toEqual({ code: 4011, reason: "Too far behind" });
    // It got at most the bound (plus the frame that crossed it) before the close.
    const chars = staller.socket.raw.reduce((n, t) => n + t.length, 0);
    expect(chars).toBeLessThan(2048 + 300 + cursorOf(peer.socket).chars);
    expect(peer.socket.closed).toBeNull();
    // Cursors are consumed by the room: never answered, never an error.
    expect(peer.socket.frames.filter((f) => f.type === "error")).toEqual([]);
    expect(peer.socket.frames.filter((f) => f.type === "publish")).toHaveLength(40);
  });

  it("[F3] a socket that never acknowledges nor pings is closed 4011 when sent more than maxSilentBytes within silentWindowMs; one that pings (text `ping`) is not", async () => {
    const roomId = await newRoom({ limits: { maxSilentBytes: 2048 } });
    const silent = await joinAs(roomId, "silent");
    const pinger = await joinAs(roomId, "pinger");
    await silent.socket.drain();
    await pinger.socket.drain();
    for (let i = 0; i < 80; i++) {
      expect((await publish(roomId, "x".repeat(100))).status).toBe(200);
      await pinger.socket.nextMatching((f) => f.type === "publish");
      if (i % 5 === 4) pinger.socket.send("ping");
    }
    expect(await silent.socket.waitClosed()).toEqual({ code: 4011, reason: "Too far behind" });
    // A ping answered before the bound was crossed counts once (drain() pings): at most twice the bound.
    expect(silent.socket.raw.reduce((n, t) => n + t.length, 0)).toBeLessThan(2 * 2048 + 600);
    expect(pinger.socket.closed).toBeNull();
    expect(pinger.socket.frames.filter((f) => f.type === "publish")).toHaveLength(80);
  });

  it("[F3] a silent listener sent slowly (under maxSilentBytes per silentWindowMs) stays open past maxSilentBytes in total", async () => {
    // The room's clock is faked (Date only, as [C1] in listening.test.ts): 250 ms pass between
    // publishes without the test waiting for them. The token verifier is made under the real clock first.
    await api("GET", "/api/rooms/none-such", await adminToken());
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    // 2 KiB per 1 s window; one ~170-character frame every 250 ms is ~700 per second.
    const roomId = await newRoom({ limits: { maxSilentBytes: 2048, silentWindowMs: 1000 } });
    const silent = await joinAs(roomId, "silent");
    await silent.socket.drain();
    for (let i = 0; i < 28; i++) {
      expect((await publish(roomId, "x".repeat(100))).status).toBe(200);
      vi.advanceTimersByTime(250);
    }
    // Reading here is the test's own (no probe): the room only sees that the socket sends nothing.
    await silent.socket.waitFor(() => silent.socket.frames.filter((g) => g.type === "publish").length === 28);
    const chars = silent.socket.raw.reduce((n, t) => n + t.length, 0);
    expect(chars).toBeGreaterThan(2 * 2048);
    expect(silent.socket.closed).toBeNull();
    expect(silent.socket.frames.filter((f) => f.type === "publish")).toHaveLength(28);
  }, 30_000);
});
