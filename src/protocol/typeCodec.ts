import type { Codec, CodecOptions, FrameMeta } from "./codec.ts";
import { commandId, decodeJson } from "./decodeJson.ts";

/**
 * The `{type, ...}` family (seeds 000, 001, 003, 004). A command is the frame
 * itself minus `id`; Hearth's fields ride at the top level.
 */
export function typeCodec(options: string | CodecOptions = {}): Codec {
  const { name = "type", connIdField } = typeof options === "string" ? { name: options } : options;
  const conn = (connId?: string) => (connIdField && connId ? { [connIdField]: connId } : {});
  const withMeta = (body: Record<string, unknown>, meta?: FrameMeta): string =>
    JSON.stringify(meta ? { ...body, seq: meta.seq, epoch: meta.epoch } : body);
  return {
    name,
    decode(text) {
      const parsed = decodeJson(text);
      if (!parsed.ok) return parsed;
      const { id: rawId, ...command } = parsed.value;
      if (typeof command.type !== "string" || command.type.length === 0) {
        return { ok: false, code: "BAD_FRAME", message: "Frame needs a string `type`." };
      }
      const id = commandId(rawId);
      if (typeof id === "object") return id;
      return { ok: true, command: command as { type: string }, ...(id === undefined ? {} : { id }) };
    },
    encode: withMeta,
    snapshot(view, meta) {
      return JSON.stringify({
        type: "snapshot",
        seq: meta.seq,
        epoch: meta.epoch,
        ...(meta.recovered === undefined ? {} : { recovered: meta.recovered }),
        state: view,
      });
    },
    recovered(meta) {
      return JSON.stringify({ type: "recovered", recovered: true, seq: meta.seq, epoch: meta.epoch });
    },
    error(code, message, extra, connId) {
      return JSON.stringify({ type: "error", code, message, ...extra, ...conn(connId) });
    },
    ack(id, meta, connId) {
      return JSON.stringify({ type: "ack", id, ...meta, ...conn(connId) });
    },
    // The frames are JSON objects already: joined, not parsed and re-encoded.
    batch(frames) {
      return `{"type":"batch","frames":[${frames.join(",")}]}`;
    },
  };
}
