// The codec contract (Codec, Decoded, DecodeError, FrameMeta) is the core's: a System names its
// codec, and the core imports nothing outside itself. The implementations live here in protocol.
export type { Codec, Decoded, DecodeError, FrameMeta } from "../core/codec.ts";

export interface CodecOptions {
  /** The system's name for its codec (logs, docs). */
  name?: string;
  /** When set, errors and acks carry the sender's connection id under this field (e.g. `socket_id`). */
  connIdField?: string;
}
