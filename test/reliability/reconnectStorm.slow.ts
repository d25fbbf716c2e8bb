import { describe, expect, it } from "vitest";
import { newRoom, publish } from "../helpers/rooms.ts";
import { open, type Frame, type TestSocket } from "../helpers/socket.ts";
import { token } from "../helpers/tokens.ts";
import { figuresFor } from "./figures.ts";
import { SCALE } from "./scale.ts";

/** Sockets in the storm: 1,000 under `npm run test:reliability` (scale 20), 50 per unit of scale. */
const SOCKETS = 50 * SCALE;

/**
 * Only under `npm run test:reliability` (not in `npm test`): every socket of a
 * room drops at once and reconnects at once with `since`/`epoch`, while
 * publishes keep arriving. Each one must get exactly the frames it missed, in
 * order, then `recovered: true`, then every live frame: nothing lost, nothing doubled.
 */
describe("reconnect storm", () => {
  it(`[STORM] ${SOCKETS} sockets drop and resume at once while publishes continue: no gap, no duplicate`, async (ctx) => {
    const figures = figuresFor(ctx);
    const roomId = await newRoom({ presence: false, limits: { maxConnections: SOCKETS + 10 } });
    const tokens = await Promise.all(Array.from({ length: SOCKETS }, (_, i) => token({ sub: `storm-${i}` })));
    const first = await Promise.all(tokens.map(async (t) => {
      const s = await open(`/ws/rooms/${roomId}?token=${t}`);
      return { s, snapshot: await s.next() };
    }));
    const epoch = first[0]!.snapshot.epoch as string;
    for (let n = 0; n < 5; n++) expect((await publish(roomId, { n })).status).toBe(200);
    // Each socket's last seq before the drop.
    const lastSeen = await Promise.all(first.map(async ({ s }) => ((await s.nextMatching((f) => (f.data as { n?: number })?.n === 4, 20_000)).seq as number)));
    for (const { s } of first) s.close();
    // The storm: everyone back at once, with publishes landing in the middle of it.
    const during = (async () => {
      for (let n = 5; n < 10; n++) expect((await publish(roomId, { n })).status).toBe(200);
    })();
    const again: TestSocket[] = await Promise.all(tokens.map((t, i) => open(`/ws/rooms/${roomId}?token=${t}&since=${lastSeen[i]}&epoch=${epoch}`)));
    await during;
    const ns = (frames: Frame[]) => frames.filter((f) => f.type === "publish").map((f) => (f.data as { n: number }).n);
    await Promise.all(
      again.map(async (s) => {
        figures.cases++;
        const frames: Frame[] = [];
        for (;;) {
          const f = await s.next(20_000);
          frames.push(f);
          if ((f.data as { n?: number })?.n === 9) break;
        }
        const got = ns(frames);
        figures.frames += frames.length;
        figures.doubled += got.length - new Set(got).size;
        figures.lost += [5, 6, 7, 8, 9].filter((n) => !got.includes(n)).length;
        // Frames from before the drop are never sent again.
        figures.doubled += got.filter((n) => n < 5).length;
        expect(frames.some((f) => f.type === "recovered" && f.recovered === true)).toBe(true);
        s.close();
      }),
    );
    expect({ lost: figures.lost, doubled: figures.doubled }).toEqual({ lost: 0, doubled: 0 });
  }, 600_000);
});
