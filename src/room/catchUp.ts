import type { Actor, AnyKind, KindCtx } from "../core/kind.ts";
import type { Codec } from "../protocol/codec.ts";
import { canSee, type Reader } from "./audience.ts";
import type { Attachment } from "./connections.ts";
import { visibleBefore } from "./history.ts";
import type { Logger } from "./logger.ts";
import type { Outlet } from "./outlet.ts";
import { parseCursor, planResume } from "../core/planResume.ts";
import type { HostSocket } from "./RoomHost.ts";
import type { RoomStore } from "./store/RoomStore.ts";

/** Replays read the log in pages of this many entries. */
const REPLAY_PAGE = 500;

/** What a catch-up uses: the log, the state as the viewer sees it, and the outlet. */
export interface CatchUpPort {
  store: Pick<RoomStore, "head" | "tail" | "entriesAfter" | "entriesBefore">;
  roomId: string;
  epoch: string;
  codec: Pick<Codec, "snapshot" | "recovered" | "encode">;
  kind: Pick<AnyKind, "view" | "sockets">;
  state(): unknown;
  /** The longest gap a replay may bridge (the log's retention). */
  maxReplay: number;
  ctx(actor: Actor, connId: string | null): KindCtx;
  reader(actor: Actor): Reader;
  outlet: Pick<Outlet, "send" | "flush">;
  log: Logger;
}

/**
 * What a (re)connecting socket gets before any live frame: a snapshot, or
 * the exact frames it missed followed by `recovered` (planResume.ts decides),
 * then the kind's welcome frames. It runs synchronously right after the
 * socket's own join committed, so no live frame can overtake it ([P3]).
 */
export function catchUp(port: CatchUpPort, ws: HostSocket, att: Attachment): void {
  const { codec, kind, store, outlet, epoch } = port;
  const head = store.head();
  const plan = planResume(parseCursor(att.params), { epoch, head, tail: store.tail(), maxReplay: port.maxReplay });
  const frameMeta = { seq: head, epoch };
  const ctx = port.ctx(att.actor, att.connId);
  const state = port.state();
  let recent: Record<string, unknown>[] = [];
  if (plan.mode === "replay") {
    const reader = port.reader(att.actor);
    // Page through to the head: `recovered: true` promises nothing in between was skipped.
    for (let after = plan.after; after < head; ) {
      const page = store.entriesAfter(after, REPLAY_PAGE);
      if (page.length === 0) break;
      for (const e of page) if (canSee(e, reader)) outlet.send(ws, e.frame);
      after = page[page.length - 1]!.seq;
    }
    // A stream the socket follows for a protocol without snapshots ([S6]) ends its replay quietly.
    if (!(att.following && kind.sockets?.snapshotOnJoin === false)) outlet.send(ws, codec.recovered(frameMeta));
  } else if (plan.mode === "snapshot" || kind.sockets?.snapshotOnJoin !== false) {
    const recovered = plan.mode === "snapshot" ? { recovered: false } : {};
    const shown = kind.sockets?.joinView ? kind.sockets.joinView(state, att.actor, ctx) : kind.view(state, att.actor, ctx);
    outlet.send(ws, codec.snapshot(shown, { ...frameMeta, ...recovered }));
    if (plan.mode === "snapshot") port.log.info("resume_fallback", { roomId: port.roomId, reason: plan.reason });
    const want = kind.sockets?.historyOnJoin ?? 0;
    if (want > 0) recent = visibleBefore(store, port.reader(att.actor), head + 1, want).entries.reverse();
  }
  for (const body of kind.sockets?.welcome?.(state, { actor: att.actor, params: att.params }, recent, ctx) ?? []) {
    outlet.send(ws, codec.encode(body));
  }
  // A batching socket's catch-up is one burst: it leaves now, in batches, not a window later.
  outlet.flush(ws);
}
