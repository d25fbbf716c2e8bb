import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FakeSocket } from "../../src/room/testing/fakeHost.ts";
import { quietLog, settle } from "../../src/room/testing/roomHarness.ts";
import { figuresFor } from "./figures.ts";
import { hostileFrames, type HostileFrame } from "./hostileFrames.ts";
import { errorCode, FUZZ_TARGETS, harnessFor, isPersonal, WELL_FORMED_CODE, whisperTo } from "./roomsUnderFuzz.ts";
import { runs } from "./scale.ts";

/**
 * Every kind, through the whole pipeline (limits, codec, validation, dedup,
 * apply, commit, fan-out) over the memory store: hostile frames never throw
 * past it, are answered with an error that has a code (the documented one
 * where the frame decides it) or with a valid result, leave state and head
 * alone when refused, and never reach the wrong socket.
 */
describe("kinds under hostile frames", () => {
  for (const target of FUZZ_TARGETS) {
    it(`[FUZZ] ${target.kind}: every hostile frame is refused with a code or applied, and a refusal changes nothing`, async (ctx) => {
      const figures = figuresFor(ctx);
      await fc.assert(
        fc.asyncProperty(fc.array(hostileFrames(target.family, target.names), { minLength: 1, maxLength: 40 }), async (frames) => {
          const h = harnessFor(target);
          const errorsBefore = quietLog.lines.filter((l) => l.level === "error").length;
          let sender: FakeSocket = h.connect(target.sender);
          const bystander = h.connect(target.bystander);
          sender.take();
          bystander.take();
          for (const frame of frames) {
            figures.cases++;
            figures.frames++;
            const head = h.store.head();
            const state = JSON.stringify(h.store.state());
            try {
              h.room.message(sender, frame.data);
            } catch (err) {
              figures.crashes++;
              throw err;
            }
            await settle();
            const out = sender.take();
            const codes = out.map(errorCode).filter((c): c is string => c !== null);
            if (codes.includes("INTERNAL")) figures.crashes++;
            if (sender.closed) {
              // Strikes (FRAME_TOO_LARGE, RATE_LIMITED in a row) close with 4008, as documented.
              expect(sender.closed.code).toBe(4008);
              expect(["FRAME_TOO_LARGE", "RATE_LIMITED"]).toContain(frame.expect ?? "RATE_LIMITED");
              figures.refused++;
              sender = h.connect(target.sender);
              sender.take();
            } else if (codes.length > 0) {
              expect(codes.every((c) => WELL_FORMED_CODE.test(c) && c !== "INTERNAL"), JSON.stringify(out)).toBe(true);
              expect(h.store.head(), "a refusal committed nothing").toBe(head);
              expect(JSON.stringify(h.store.state()), "a refusal changed no state").toBe(state);
              if (frame.expect) expect(codes, describeFrame(frame)).toContain(frame.expect);
              figures.refused++;
            } else {
              expect(frame.expect, `should have been refused: ${describeFrame(frame)}`).toBeUndefined();
            }
            for (const f of bystander.take()) {
              const to = whisperTo(f);
              if (isPersonal(f) || (to !== null && to !== target.bystander.userId)) figures.leaks++;
            }
            // Budgets refill between frames, so the fuzz reaches the kind rather than the rate limit.
            h.clock.advance(1_000);
          }
          if (quietLog.lines.filter((l) => l.level === "error").length > errorsBefore) figures.crashes++;
          expect(figures.crashes).toBe(0);
          expect(figures.leaks).toBe(0);
        }),
        { numRuns: runs(25) },
      );
    });
  }
});

function describeFrame(frame: HostileFrame): string {
  return typeof frame.data === "string" ? frame.data.slice(0, 160) : `binary(${frame.data.byteLength})`;
}
