import type { Emit } from "../../core/kind.ts";

/**
 * The runtime deltas of seed 000, each `{type, playerId?, ..., timestamp}`.
 * `timestamp` is an ISO-8601 string as in the seed's example frame, derived
 * from ctx.now (so still deterministic). PLAYER_REGISTERED and QUEST_COMPLETED
 * are Hearth's additions; seed clients refresh on any runtime_delta anyway.
 */
export type QuestDelta =
  | { type: "PLAYER_JOINED" | "PLAYER_LEFT" | "PLAYER_REGISTERED"; playerId: string; playerName: string; timestamp: string }
  | { type: "OBJECT_AVAILABLE"; objectId: string; timestamp: string }
  | { type: "OBJECT_ARRIVED"; playerId: string; objectId: string; first: boolean; timestamp: string }
  | { type: "OBJECT_COMPLETED"; playerId: string; objectId: string; timestamp: string }
  | { type: "NODE_UNLOCKED"; playerId: string; objectId: string; nodeId: string; timestamp: string }
  | {
      type: "NODE_COMPLETED";
      /** Session nodes: who closed it. Player nodes: whose own copy it is. */
      playerId: string;
      objectId: string;
      nodeId: string;
      scope: "player" | "session";
      /** Present when the node closed because attempts ran out, not by success. */
      failed?: true;
      timestamp: string;
    }
  | {
      type: "PUZZLE_SUBMITTED";
      playerId: string;
      objectId: string;
      nodeId: string;
      correct: boolean;
      /** Attempts used so far on this node's track (the team's or this player's). */
      attempts: number;
      /** null when the node has no maxAttempts. */
      attemptsLeft: number | null;
      timestamp: string;
    }
  | { type: "ACTION_ATTEMPTED" | "ACTION_SUCCESS" | "ACTION_FAIL"; playerId: string; objectId: string; nodeId: string; timestamp: string }
  | {
      type: "CONSENSUS_UPDATED";
      /** The player whose success moved the count; absent when the team size changed `required`. */
      playerId?: string;
      objectId: string;
      nodeId: string;
      count: number;
      required: number;
      timestamp: string;
    }
  | { type: "QUEST_COMPLETED"; playerId: string; questId: string; timestamp: string };

export type QuestDeltaType = QuestDelta["type"];

/** The seed's timestamp format, from the command's fixed clock. */
export const isoTime = (now: number): string => new Date(now).toISOString();

/** The one broadcast a runtime change produces: the whole team, logged (gets seq/epoch). */
export function runtimeDeltaEmit(sessionId: string, deltas: readonly QuestDelta[]): Emit {
  return { body: { type: "runtime_delta", sessionId, deltas: [...deltas] } };
}
