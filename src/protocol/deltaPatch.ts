import { applyPatch, compare, type Operation } from "fast-json-patch";
import { documentChecksum } from "./deltaChecksum.ts";

/**
 * A document delta ([W1]): the RFC 6902 JSON Patch from the base document to the next one, the
 * seq of the frame that carried the base, and the checksum of the next document. JSON Patch, not
 * RFC 7386 merge patch, because merge patch reads `null` as "delete": a campaign's
 * `structured_data` keeps `status: null` as a value, which a merge patch cannot say. The diff is
 * fast-json-patch's `compare` (deep, JSON-Pointer escaping done right); it only ever produces
 * `add`, `remove` and `replace`, which is all the SDK's applier takes.
 */
export interface DocumentDelta {
  /** The frame field the document lives in (e.g. `structured_data`). */
  field: string;
  /** The seq of the frame whose document is the base. */
  base: number;
  ops: Operation[];
  /** documentChecksum of the document after the ops. */
  sum: string;
}

/** The delta from `base` (carried by the frame at `baseSeq`) to `next`. */
export function diffDocument(field: string, baseSeq: number, base: unknown, next: unknown): DocumentDelta {
  return { field, base: baseSeq, ops: compare(base as object, next as object), sum: documentChecksum(next) };
}

/** The error a delta that does not rebuild its document gives (a stable code, as everywhere). */
export interface DeltaMismatch {
  ok: false;
  code: "DELTA_BAD_PATCH" | "DELTA_CHECKSUM";
  message: string;
}

/** Applies a delta to a copy of `base`; checks the checksum. The server's reference applier (tests, bench). */
export function applyDocumentDelta(base: unknown, delta: DocumentDelta): { ok: true; doc: unknown } | DeltaMismatch {
  let doc: unknown;
  try {
    doc = applyPatch(structuredClone(base), delta.ops, true, false).newDocument;
  } catch (e) {
    return { ok: false, code: "DELTA_BAD_PATCH", message: `The delta does not apply to the base: ${(e as Error).message}` };
  }
  if (documentChecksum(doc) !== delta.sum) return { ok: false, code: "DELTA_CHECKSUM", message: "The rebuilt document's checksum differs from the server's." };
  return { ok: true, doc };
}
