import type { Codec } from "../../protocol/codec.ts";
import { decodeJson } from "../../protocol/decodeJson.ts";
import { typeCodec } from "../../protocol/typeCodec.ts";

/**
 * Seed 003's client speaks two ways: `{"type":"ping"}`, and anything else
 * (which gets an ack). So every text frame decodes: a JSON object whose
 * `type` is "ping" is a ping, the rest (other types, bad JSON, arrays) is a
 * message. Client `id`s are not read: the seed's ack has none, and nothing a
 * subscriber sends changes anything that needs deduplicating. Frames out are
 * the `{type}` family's.
 */
export function feedCodec(): Codec {
  const base = typeCodec("feed");
  return {
    ...base,
    decode(text) {
      const parsed = decodeJson(text);
      const ping = parsed.ok && parsed.value.type === "ping";
      return { ok: true, command: { type: ping ? "ping" : "message" } };
    },
  };
}
