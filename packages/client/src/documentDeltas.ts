import { applyJsonPatch } from "./applyJsonPatch.js";
import { documentChecksum } from "./documentChecksum.js";

/** Which frames carry a whole document, as the room names it (e.g. `structured_data` per `campaign_id`). */
export interface DocumentOption {
  /** The frame field that holds the document. */
  field: string;
  /** The frame field that names the document's stream (one document per stream). */
  stream: string;
}

export type Rebuilt = { ok: true; frame: Record<string, unknown> } | { ok: false; code: "DELTA_NO_BASE" | "DELTA_BAD_PATCH" | "DELTA_CHECKSUM"; message: string };

/**
 * [W1] The client's half of document deltas: it keeps the last document of each stream (with the
 * seq of its frame) and turns a delta frame back into the full frame the server stored, checking
 * the checksum. Any failure is a value; the socket then resyncs from its cursor, and the replay
 * sends the stored full frame.
 */
export class DocumentDeltas {
  readonly #option: DocumentOption;
  readonly #docs = new Map<string, { seq: number; doc: unknown }>();

  constructor(option: DocumentOption) {
    this.#option = option;
  }

  /** Whether the frame is a delta this option reads. */
  isDelta(frame: Record<string, unknown>): boolean {
    const d = frame.delta;
    return typeof d === "object" && d !== null && (d as { field?: unknown }).field === this.#option.field;
  }

  /** Remembers the document a logged full frame carries. */
  remember(frame: Record<string, unknown>): void {
    const { field, stream } = this.#option;
    const doc = frame[field];
    const id = frame[stream];
    if (typeof id === "string" && typeof frame.seq === "number" && typeof doc === "object" && doc !== null) this.#docs.set(id, { seq: frame.seq, doc });
  }

  /** The full frame a delta frame stands for, or why it can't be had. */
  rebuild(frame: Record<string, unknown>): Rebuilt {
    const { field, stream } = this.#option;
    const delta = frame.delta as { base?: unknown; ops?: unknown; sum?: unknown };
    const id = frame[stream];
    const base = typeof id === "string" ? this.#docs.get(id) : undefined;
    if (!base || base.seq !== delta.base) return { ok: false, code: "DELTA_NO_BASE", message: `No document at seq ${String(delta.base)} for ${String(id)}.` };
    let doc: unknown;
    try {
      doc = applyJsonPatch(base.doc, delta.ops);
    } catch (e) {
      return { ok: false, code: "DELTA_BAD_PATCH", message: `The delta does not apply: ${(e as Error).message}` };
    }
    if (documentChecksum(doc) !== delta.sum) return { ok: false, code: "DELTA_CHECKSUM", message: "The rebuilt document's checksum differs from the server's." };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(frame)) {
      if (k === "delta") out[field] = doc;
      else out[k] = v;
    }
    return { ok: true, frame: out };
  }

  /** Forgets every document (a new epoch: they belong to a history that is gone). */
  clear(): void {
    this.#docs.clear();
  }
}
