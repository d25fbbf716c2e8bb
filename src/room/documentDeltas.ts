import type { DocumentFrames } from "../core/kind.ts";
import { diffDocument } from "../protocol/deltaPatch.ts";
import type { Attachment } from "./connections.ts";
import type { Outlet } from "./outlet.ts";
import type { HostSocket } from "./RoomHost.ts";

/** Whether a socket asked for document deltas at connect (`?delta=1`, [W1]). */
export const wantsDeltas = (att: Attachment) => att.params.delta === "1";

/** One broadcast of a document frame, read once for all the sockets it goes to. */
interface Prepared {
  frame: string;
  stream: string;
  seq: number;
  /** The stream's previous document frame this room saw (the base a delta is made against). */
  base: { seq: number; doc: unknown } | undefined;
  parsed: Record<string, unknown>;
  /** The delta frame: made on first need, null when it is not smaller than the full frame. */
  delta?: string | null;
}

/**
 * [W1] Document deltas for the sockets that asked (`?delta=1`): a frame of a `documents` type
 * (Kind.sockets.documents) goes to such a socket as a delta against the stream's previous
 * document, when the server knows the socket has that one (it delivered it live to this socket,
 * in this wake-up) and the delta is smaller. Anything else gets the full frame as it is stored,
 * so replay, catch-up and welcome frames stay full documents and the log is unchanged.
 *
 * Per broadcast the frame is parsed and the delta made once, for all the sockets that get it
 * (the fan-out hands every socket the same string); sockets that did not ask cost one attachment
 * read. What it keeps: the newest document per stream (shared), and per delta socket the seq of
 * the last document it got per stream. Both live in memory only: after a hibernation nobody's
 * base is known and the next frame goes out full.
 */
export class DocumentDeltas {
  readonly #spec: DocumentFrames;
  readonly #sockets: { attachment(ws: HostSocket): Attachment | null };
  readonly #docs = new Map<string, { seq: number; doc: unknown }>();
  readonly #has = new WeakMap<HostSocket, Map<string, number>>();
  #last: { frame: string; prepared: Prepared | null } | null = null;

  constructor(spec: DocumentFrames, sockets: { attachment(ws: HostSocket): Attachment | null }) {
    this.#spec = spec;
    this.#sockets = sockets;
  }

  /** The fan-out's outlet: delivers through `outlet`, a delta where it can. */
  wrap(outlet: Pick<Outlet, "deliver">): Pick<Outlet, "deliver"> {
    return { deliver: (ws, frame) => this.#deliver(outlet, ws, frame) };
  }

  #deliver(outlet: Pick<Outlet, "deliver">, ws: HostSocket, frame: string): boolean {
    const att = this.#sockets.attachment(ws);
    if (!att || !wantsDeltas(att)) return outlet.deliver(ws, frame);
    const p = this.#prepare(frame);
    if (!p) return outlet.deliver(ws, frame);
    let has = this.#has.get(ws);
    const text = p.base && has?.get(p.stream) === p.base.seq ? (this.#deltaFrame(p) ?? frame) : frame;
    const ok = outlet.deliver(ws, text);
    if (ok) {
      if (!has) this.#has.set(ws, (has = new Map()));
      has.set(p.stream, p.seq);
    }
    return ok;
  }

  /** Reads a frame once per broadcast; null when it is no document frame. */
  #prepare(frame: string): Prepared | null {
    if (this.#last?.frame === frame) return this.#last.prepared;
    const prepared = this.#read(frame);
    this.#last = { frame, prepared };
    return prepared;
  }

  #read(frame: string): Prepared | null {
    const { field, stream: streamField, types } = this.#spec;
    if (!frame.includes(`"${field}"`)) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(frame);
    } catch {
      return null;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
    const body = parsed as Record<string, unknown>;
    const doc = body[field];
    const stream = body[streamField];
    if (typeof body.type !== "string" || !types.includes(body.type) || typeof stream !== "string" || typeof body.seq !== "number") return null;
    if (typeof doc !== "object" || doc === null) return null;
    const base = this.#docs.get(stream);
    // Only a newer frame moves the stream's document (a replayed frame never comes here: it is sent, not delivered).
    if (base && base.seq >= body.seq) return null;
    this.#docs.set(stream, { seq: body.seq, doc });
    return { frame, stream, seq: body.seq, base, parsed: body };
  }

  #deltaFrame(p: Prepared): string | null {
    if (p.delta !== undefined) return p.delta;
    const { field } = this.#spec;
    const delta = diffDocument(field, p.base!.seq, p.base!.doc, p.parsed[field]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p.parsed)) {
      if (k === field) out.delta = delta;
      else out[k] = v;
    }
    const text = JSON.stringify(out);
    p.delta = text.length < p.frame.length ? text : null;
    return p.delta;
  }
}
