import { hearthError, type HearthError } from "../../core/hearthError.ts";
import type { Codec } from "../../protocol/codec.ts";
import type { Input } from "./input.ts";

export interface DecodedInput {
  ok: true;
  /** What validate.ts checks: the kind's command (socket, HTTP) or the message body (object). */
  command: unknown;
  /** A socket command's client id, for dedup and the ack. */
  id?: string;
}

/**
 * Stage 2: wire text to a command, by the system's codec (`{type}` or
 * `{event, data}`). HTTP bodies arrive parsed (and depth-checked) by the
 * worker; internal inputs carry no wire text.
 */
export function decode(codec: Pick<Codec, "decode">, input: Input): DecodedInput | HearthError {
  switch (input.source) {
    case "socket": {
      if (typeof input.data !== "string") return hearthError("BAD_FRAME", "Binary frames are not supported; send JSON text.", 400);
      const decoded = codec.decode(input.data);
      if (!decoded.ok) return hearthError(decoded.code, decoded.message, 400);
      return { ok: true, command: decoded.command, ...(decoded.id === undefined ? {} : { id: decoded.id }) };
    }
    case "http":
      return { ok: true, command: input.body };
    case "object":
      return { ok: true, command: input.envelope.body };
    default:
      return { ok: true, command: null };
  }
}
