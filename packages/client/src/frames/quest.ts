/** Quest runtime (seed 000, src/systems/quest). Types only. */
import type { IsoTime, Sequenced } from "./common.js";

/** The runtime deltas (quest/deltas.ts `QuestDelta`); PLAYER_REGISTERED and QUEST_COMPLETED are Hearth's. */
export type QuestDelta =
  | { type: "PLAYER_JOINED" | "PLAYER_LEFT" | "PLAYER_REGISTERED"; playerId: string; playerName: string; timestamp: IsoTime }
  | { type: "OBJECT_AVAILABLE"; objectId: string; timestamp: IsoTime }
  | { type: "OBJECT_ARRIVED"; playerId: string; objectId: string; first: boolean; timestamp: IsoTime }
  | { type: "OBJECT_COMPLETED"; playerId: string; objectId: string; timestamp: IsoTime }
  | { type: "NODE_UNLOCKED"; playerId: string; objectId: string; nodeId: string; timestamp: IsoTime }
  | { type: "NODE_COMPLETED"; playerId: string; objectId: string; nodeId: string; scope: "player" | "session"; failed?: true; timestamp: IsoTime }
  | { type: "PUZZLE_SUBMITTED"; playerId: string; objectId: string; nodeId: string; correct: boolean; attempts: number; attemptsLeft: number | null; timestamp: IsoTime }
  | { type: "ACTION_ATTEMPTED" | "ACTION_SUCCESS" | "ACTION_FAIL"; playerId: string; objectId: string; nodeId: string; timestamp: IsoTime }
  | { type: "CONSENSUS_UPDATED"; playerId?: string; objectId: string; nodeId: string; count: number; required: number; timestamp: IsoTime }
  | { type: "QUEST_COMPLETED"; playerId: string; questId: string; timestamp: IsoTime };

/** Runtime events (PROTOCOLS.md section 2), also accepted over the socket. */
export type QuestRuntimeEvent =
  | { type: "OBJECT_ARRIVE"; objectId: string; lat?: number; lng?: number }
  | { type: "NODE_COMPLETE"; nodeId: string }
  | { type: "PUZZLE_SUBMIT"; nodeId: string; answer: string }
  | { type: "ACTION_ATTEMPT"; nodeId: string }
  | { type: "ACTION_RESULT"; nodeId: string; success: boolean };

/** Client -> server. `player_state_update` carries a position; it is relayed only in `independent` travel mode. */
export type QuestClientFrame =
  | { type: "join" | "join_session"; sessionId: string; playerName: string }
  | ({ type: "player_state_update"; lat: number; lng: number } & Record<string, unknown>)
  | (QuestRuntimeEvent & { id?: string });

/** Server -> client. The snapshot's `state` is the session view (never puzzle answers). */
export type QuestServerFrame =
  | ({ type: "runtime_delta"; sessionId: string; deltas: QuestDelta[] } & Sequenced)
  | ({ type: "player_state_update"; playerId?: string } & Record<string, unknown>)
  | { type: "error"; code?: string; message: string; id?: string };
