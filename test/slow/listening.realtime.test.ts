import { describe, expect, it } from "vitest";
import { joinAs, newRoom, publish } from "../helpers/rooms.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The slow suite (`npm run test:slow`, run by .ci/run, not by `npm test`): what only real
// time can show. `npm test` runs [C1] on a fake clock (test/listening.test.ts).
describe("listening is not idling (real time)", () => {
  it(
    "[C1] a socket that never sends anything is still open and receiving after 3 minutes of real time",
    async () => {
      const roomId = await newRoom();
      const quiet = await joinAs(roomId, "listener");
      // drain(0): no ping probe, which would be a sign of life; the socket sends nothing at all.
      await quiet.socket.drain(0);
      // Six publishes 30 s apart, then 5 s more: the socket has been silent for 185 s.
      const sent = 6;
      for (let n = 1; n <= sent; n++) {
        await sleep(30_000);
        expect((await publish(roomId, { n })).status).toBe(200);
      }
      await sleep(5_000);
      const got = (await quiet.socket.drain(0)).filter((f) => f.type === "publish");
      expect(quiet.socket.closed).toBeNull();
      expect(got.map((f) => (f.data as { n: number }).n)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    },
    230_000,
  );
});
