import { runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { joinAs, newRoom, publish, stubFor } from "./helpers/rooms.ts";
import { api, open } from "./helpers/socket.ts";
import { adminToken, token } from "./helpers/tokens.ts";

describe("listening is not idling (fake clock)", () => {
  // The room's clock is faked (Date only: sockets, fetches and the room's batch timers stay real),
  // and each 30 s step runs the room's alarm by hand, as the runtime would when it is due. The
  // same check over 3 minutes of real time is in the slow suite (test/slow/).
  afterEach(() => {
    vi.useRealTimers();
  });

  it(
    "[C1] a socket that never sends anything is still open and receiving after 3 minutes",
    async () => {
      // The isolate's token verifier keeps the `Date.now` it was made with
      // (src/http/auth/verifierFor.ts): make it under the real clock, so it never keeps the fake
      // one. The room is made under the fake clock, so its clock (Room `now`) is the fake one.
      await api("GET", "/api/rooms/none-such", await adminToken());
      vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
      const roomId = await newRoom();
      const quiet = await joinAs(roomId, "listener");
      // drain(0): no ping probe, which would be a sign of life; the socket sends nothing at all.
      await quiet.socket.drain(0);
      // Six publishes 30 s apart, then 5 s more: the socket has been silent for 185 s.
      const sent = 6;
      for (let n = 1; n <= sent; n++) {
        await passes(roomId, 30_000);
        expect((await publish(roomId, { n })).status).toBe(200);
      }
      await passes(roomId, 5_000);
      // Wait for the last publish to land (without a ping probe: the socket stays silent).
      await quiet.socket.waitFor((f) => f.type === "publish" && (f.data as { n: number }).n === sent);
      const got = (await quiet.socket.drain(0)).filter((f) => f.type === "publish");
      expect(quiet.socket.closed).toBeNull();
      expect(got.map((f) => (f.data as { n: number }).n)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    },
    30_000,
  );
});

/** `ms` pass on the faked clock, and the room's alarm runs if it has one set, as when it fell due. */
async function passes(roomId: string, ms: number) {
  vi.advanceTimersByTime(ms);
  await runDurableObjectAlarm(stubFor(roomId));
}

describe("listening is not idling (real time)", () => {
  it("[C3] a room with a connection age limit closes older sockets with 4010 by itself", async () => {
    const roomId = await newRoom({ limits: { maxConnectionAgeMs: 400 } });
    const s = await joinAs(roomId, "aged");
    expect(await s.socket.waitClosed(3000)).toEqual({ code: 4010, reason: "Connection age limit reached" });
  });

  it("[C4] a socket whose token expires is closed with 4001 at expiry, with no sweep to wait for", async () => {
    const roomId = await newRoom();
    const s = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "short" }, { ttlSec: 2 })}`);
    await s.next();
    // The alarm is set to the expiry itself; the wait only bounds a hang.
    expect(await s.waitClosed(6000)).toEqual({ code: 4001, reason: "Token expired" });
  });
});

