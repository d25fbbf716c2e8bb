import { canSee } from "./audience.ts";
import type { Attachment } from "./connections.ts";
import { visibleBefore } from "./history.ts";
import { kindCtx, readerFor } from "./kindCtx.ts";
import { parseCursor, planResume } from "./planResume.ts";
import type { HostSocket } from "./RoomHost.ts";
import type { RoomContext } from "./roomContext.ts";

/** Replays read the log in pages of this many entries. */
const REPLAY_PAGE = 500;

/**
 * What a (re)connecting socket gets before any live frame: a snapshot, or
 * the exact frames it missed followed by `recovered` (planResume.ts decides),
 * then the kind's welcome frames. It runs synchronously right after the
 * socket's own join committed, so no live frame can overtake it ([P3]).
 */
export function catchUp(rc: RoomContext, ws: HostSocket, att: Attachment): void {
  const { codec, kind, meta, limits } = rc.l;
  const head = rc.store.head();
  const plan = planResume(parseCursor(att.params), { epoch: meta.epoch, head, tail: rc.store.tail(), maxReplay: limits.logMaxEntries });
  const frameMeta = { seq: head, epoch: meta.epoch };
  const ctx = kindCtx(rc, att.actor, att.connId);
  let recent: Record<string, unknown>[] = [];
  if (plan.mode === "replay") {
    const reader = readerFor(rc, att.actor);
    // Page through to the head: `recovered: true` promises nothing in between was skipped.
    for (let after = plan.after; after < head; ) {
      const page = rc.store.entriesAfter(after, REPLAY_PAGE);
      if (page.length === 0) break;
      for (const e of page) if (canSee(e, reader)) rc.conns.send(ws, e.frame);
      after = page[page.length - 1]!.seq;
    }
    rc.conns.send(ws, codec.recovered(frameMeta));
  } else {
    const recovered = plan.mode === "snapshot" ? { recovered: false } : {};
    rc.conns.send(ws, codec.snapshot(kind.view(rc.state, att.actor, ctx), { ...frameMeta, ...recovered }));
    if (plan.mode === "snapshot") rc.log.info("resume_fallback", { roomId: meta.roomId, reason: plan.reason });
    const want = kind.historyOnJoin ?? 0;
    if (want > 0) recent = visibleBefore(rc, att.actor, head + 1, want).entries.reverse();
  }
  for (const body of kind.welcome?.(rc.state, { actor: att.actor, params: att.params }, recent, ctx) ?? []) {
    rc.conns.send(ws, codec.encode(body));
  }
  // A batching socket's catch-up is one burst: it leaves now, in batches, not a window later.
  rc.conns.flush(ws);
}
