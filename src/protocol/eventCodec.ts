import type { Codec, CodecOptions } from "./codec.ts";
import { commandId, decodeJson } from "./decodeJson.ts";

/**
 * The `{event, data}` family (seed 002). `{event: "chat_message", data: {message}}`
 * decodes to the command `{type: "chat_message", message}`; kinds emit bodies
 * already shaped `{event, data}`.
 */
export function eventCodec(options: string | CodecOptions = {}): Codec {
  const { name = "event", connIdField } = typeof options === "string" ? { name: options } : options;
  const conn = (connId?: string) => (connIdField && connId ? { [connIdField]: connId } : {});
  return {
    name,
    decode(text) {
      const parsed = decodeJson(text);
      if (!parsed.ok) return parsed;
      const { event, data, id: rawId } = parsed.value;
      if (typeof event !== "string" || event.length === 0) {
        return { ok: false, code: "BAD_FRAME", message: "Frame needs a string `event`." };
      }
      if (data !== undefined && (typeof data !== "object" || data === null || Array.isArray(data))) {
        return { ok: false, code: "BAD_FRAME", message: "`data` must be a JSON object." };
      }
      const id = commandId(rawId);
      if (typeof id === "object") return id;
      // `type` last so a `data.type` can never smuggle in another command.
      const command = { ...(data as Record<string, unknown> | undefined), type: event };
      return { ok: true, command, ...(id === undefined ? {} : { id }) };
    },
    encode(body, meta) {
      return JSON.stringify(meta ? { ...body, seq: meta.seq, epoch: meta.epoch } : body);
    },
    snapshot(view, meta) {
      return JSON.stringify({
        event: "snapshot",
        data: { state: view },
        seq: meta.seq,
        epoch: meta.epoch,
        ...(meta.recovered === undefined ? {} : { recovered: meta.recovered }),
      });
    },
    recovered(meta) {
      return JSON.stringify({ event: "recovered", data: {}, recovered: true, seq: meta.seq, epoch: meta.epoch });
    },
    error(code, message, extra, connId) {
      return JSON.stringify({ event: "error", data: { message, code, ...extra, ...conn(connId) } });
    },
    ack(id, meta, connId) {
      return JSON.stringify({ event: "ack", data: { id, ...meta, ...conn(connId) } });
    },
    // The frames are JSON objects already: joined, not parsed and re-encoded.
    batch(frames) {
      return `{"event":"batch","data":{"frames":[${frames.join(",")}]}}`;
    },
  };
}
