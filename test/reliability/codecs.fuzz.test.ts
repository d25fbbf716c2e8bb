import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Codec } from "../../src/protocol/codec.ts";
import { decodeJson, JSON_LIMITS } from "../../src/protocol/decodeJson.ts";
import { eventCodec } from "../../src/protocol/eventCodec.ts";
import { typeCodec } from "../../src/protocol/typeCodec.ts";
import { registry } from "../../src/systems/registry.ts";
import { figuresFor } from "./figures.ts";
import { hostileFrames } from "./hostileFrames.ts";
import { runs } from "./scale.ts";

const DECODE_CODES = ["BAD_JSON", "BAD_FRAME", "JSON_TOO_DEEP", "JSON_TOO_COMPLEX"];

const CODECS: [string, Codec, "type" | "event"][] = [
  ["typeCodec", typeCodec(), "type"],
  ["eventCodec", eventCodec(), "event"],
  ...registry.all().map((s): [string, Codec, "type" | "event"] => [`${s.name}'s codec`, s.codec, s.codec.decode('{"event":"x"}').ok ? "event" : "type"]),
];

describe("codecs under hostile text", () => {
  for (const [name, codec, family] of CODECS) {
    it(`[FUZZ] ${name}: decode never throws, answers a command with a string name or a decode error code; encode round-trips`, (ctx) => {
      const figures = figuresFor(ctx);
      // A total codec (seed 003's feed: every text frame is a ping or a message to ack) refuses
      // nothing; for it the property is that every frame decodes to a named command.
      const total = codec.decode("\u0000 not json").ok;
      fc.assert(
        fc.property(hostileFrames(family, ["x", "publish", "chat_message"]), (frame) => {
          if (typeof frame.data !== "string") return;
          figures.cases++;
          figures.frames++;
          let out;
          try {
            out = codec.decode(frame.data);
          } catch (err) {
            figures.crashes++;
            throw err;
          }
          if (total) {
            expect(out.ok).toBe(true);
            if (out.ok) expect(typeof out.command.type).toBe("string");
            return;
          }
          if (out.ok) {
            expect(typeof out.command.type).toBe("string");
            // The name comes from the frame's own name field, never from a payload's `type`.
            const raw = JSON.parse(frame.data) as Record<string, unknown>;
            expect(out.command.type).toBe(family === "type" ? raw.type : raw.event);
            // Size is the room's bound (limits stage), not the codec's.
            expect(frame.expect === undefined || frame.expect === "FRAME_TOO_LARGE").toBe(true);
          } else {
            expect(DECODE_CODES).toContain(out.code);
            if (frame.expect && frame.expect !== "FRAME_TOO_LARGE") expect(out.code).toBe(frame.expect);
            figures.refused++;
          }
        }),
        { numRuns: runs(300) },
      );
      // Whatever Hearth encodes, a client decodes back to the same body.
      fc.assert(
        fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }), fc.nat(), (body, seq) => {
          figures.cases++;
          const text = codec.encode({ ...body, type: "t" }, { seq, epoch: "e" });
          const back = JSON.parse(text) as Record<string, unknown>;
          expect(back.seq).toBe(seq);
          expect(back.epoch).toBe("e");
        }),
        { numRuns: runs(100) },
      );
    });
  }

  it("[FUZZ] decodeJson: any value within the bounds is accepted as parsed; past them it is refused with its code", (ctx) => {
    const figures = figuresFor(ctx);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 1, max: 3 * JSON_LIMITS.maxDepth }), (value, depth) => {
        figures.cases += 2;
        const plain = decodeJson(JSON.stringify({ v: value }));
        expect(plain.ok).toBe(true);
        const nested = decodeJson(JSON.stringify({ v: JSON.parse("[".repeat(depth) + "]".repeat(depth)) }));
        // The outer object counts 1; `depth` arrays sit inside it.
        if (depth + 1 > JSON_LIMITS.maxDepth) {
          expect(nested).toMatchObject({ ok: false, code: "JSON_TOO_DEEP" });
          figures.refused++;
        } else expect(nested.ok).toBe(true);
      }),
      { numRuns: runs(200) },
    );
  });
});
