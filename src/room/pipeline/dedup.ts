import { Errors, hearthError, type HearthError } from "../../core/hearthError.ts";
import type { Commit, RoomStore } from "../store/RoomStore.ts";
import type { Outcome } from "../rpc.ts";
import type { Input } from "./input.ts";

/** What stage 5 reads: each source's memory in storage, and who is here. */
export interface DedupPort {
  store: Pick<RoomStore, "commandSeq" | "idempotency" | "inboxSeq" | "wakeAt" | "head">;
  /** Whether the user's join was committed (the presence set). */
  isPresent(userId: string): boolean;
  /** Whether the user has an open socket. */
  hasOpen(userId: string): boolean;
}

/** What commit.ts writes in the same transaction so the input is never applied twice. */
export type DedupRecord = Pick<Commit, "commandId" | "inbox" | "presence"> & {
  /** HTTP: the key and body hash; the response is filled in at commit. */
  idempotency?: { key: string; hash: string };
  /** Timer: the due wake-up is consumed by this commit. */
  consumesTimer?: true;
};

export type DedupResult =
  | { fresh: true; record: DedupRecord }
  /** `response`: an HTTP retry's stored answer, parsed here once (the caller returns it as is). */
  | { fresh: false; seq: number; response?: Outcome & { ok: true } }
  | HearthError;

/**
 * Stage 5: has this input been applied already? Each source has its own
 * memory, all of it in storage and written by the same transaction as the
 * change: socket command ids, HTTP Idempotency-Keys (24 h), the inbox high
 * water mark per sending object, the timer itself, the presence set.
 */
export function dedup(port: DedupPort, input: Input, id: string | undefined, now: number): DedupResult {
  switch (input.source) {
    case "socket": {
      if (id === undefined) return { fresh: true, record: {} };
      const userId = input.att.actor.userId;
      const seen = port.store.commandSeq(userId, id);
      return seen !== null ? { fresh: false, seq: seen } : { fresh: true, record: { commandId: { userId, id, seq: 0, at: now } } };
    }
    case "http": {
      const { idempotencyKey, bodyHash = "" } = input.opts;
      if (!idempotencyKey) return { fresh: true, record: {} };
      const key = `${input.actor.userId}\u0000${idempotencyKey}`;
      const prior = port.store.idempotency(key);
      if (!prior) return { fresh: true, record: { idempotency: { key, hash: bodyHash } } };
      if (prior.hash !== bodyHash) return Errors.idempotencyMismatch();
      const response = JSON.parse(prior.response) as Outcome & { ok: true };
      return { fresh: false, seq: response.seq, response };
    }
    case "object": {
      const { from, seq } = input.envelope;
      if (port.store.inboxSeq(from) >= seq) return { fresh: false, seq: port.store.head() };
      return { fresh: true, record: { inbox: { from, seq } } };
    }
    case "timer": {
      const at = port.store.wakeAt();
      if (at === null || at > now) return hearthError("TIMER_NOT_DUE", "No timer is due.");
      return { fresh: true, record: { consumesTimer: true } };
    }
    case "presence": {
      const { kind, actor } = input.change;
      const present = port.isPresent(actor.userId);
      const settled = kind === "join" ? present : !present || port.hasOpen(actor.userId);
      if (settled) return { fresh: false, seq: port.store.head() };
      return { fresh: true, record: { presence: kind === "join" ? { add: [actor.userId] } : { remove: [actor.userId] } } };
    }
  }
}
