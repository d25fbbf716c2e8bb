import type { JournalRecord } from "../store/RoomStore.ts";
import { connIdOf, kindInput, type Input } from "./input.ts";

/**
 * What commit.ts journals for an input ([J1]): who acted, when, the head it
 * found (the seed of ctx.random) and what it carried, already validated: the
 * same KindInput the kind was handed (dispatch.ts). With the kind's config and
 * the room's seed that is all a pure kind needs to reach the same state again
 * (replay.ts). Socket inputs keep the connection id the kind saw; nothing of
 * the transport (socket, raw text, HTTP options) is kept.
 */
export function journalRecord(input: Input, command: unknown, h: number, seq: number, at: number): JournalRecord {
  return { seq, h, at, conn: connIdOf(input), ...kindInput(input, command) };
}
