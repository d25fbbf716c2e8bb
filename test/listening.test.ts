import { describe, expect, it } from "vitest";
import { joinAs, newRoom, publish } from "./helpers/rooms.ts";
import { open } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("listening is not idling (real time)", () => {
  it(
    "[C1] a socket that never sends anything is still open and receiving after 3 minutes",
    async () => {
      const roomId = await newRoom();
      const quiet = await joinAs(roomId, "listener");
      await quiet.socket.drain();
      // Six publishes 30 s apart, then 5 s more: the socket has been silent for 185 s.
      const sent = 6;
      for (let n = 1; n <= sent; n++) {
        await sleep(30_000);
        expect((await publish(roomId, { n })).status).toBe(200);
      }
      const got = (await quiet.socket.drain(5_000)).filter((f) => f.type === "publish");
      expect(quiet.socket.closed).toBeNull();
      expect(got.map((f) => (f.data as { n: number }).n)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    },
    230_000,
  );

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
