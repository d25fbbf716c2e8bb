import type { JournalRecord } from "../store/RoomStore.ts";
import { actorOf } from "./apply.ts";
import type { Input } from "./input.ts";

/**
 * What commit.ts journals for an input ([J1]): who acted, when, the head it
 * found (the seed of ctx.random) and what it carried, already validated. With
 * the kind's config and the room's seed that is all a pure kind needs to reach
 * the same state again (replay.ts). Socket inputs keep the connection id the
 * kind saw; nothing of the transport (socket, raw text, HTTP options) is kept.
 */
export function journalRecord(input: Input, command: unknown, h: number, seq: number, at: number): JournalRecord {
  const base = { seq, h, at, source: input.source, actor: actorOf(input), conn: input.source === "socket" ? input.att.connId : null };
  switch (input.source) {
    case "socket":
    case "http":
      return { ...base, body: command };
    case "object":
      return { ...base, body: { from: input.envelope.from, body: input.envelope.body } };
    case "presence":
      return { ...base, body: { kind: input.change.kind, params: input.change.params } };
    case "timer":
      return { ...base, body: null };
  }
}
