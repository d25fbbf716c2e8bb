import type { KindCtx } from "../../core/kind.ts";
import { questConfigSchema } from "./schema";
import type { QuestConfig, QuestDefinition, QuestNode, QuestObject } from "./schema";
import { getOwn, setOwn } from "./record";

/**
 * The room's state: progress only. Plain JSON (the core persists it, whole,
 * on every commit); times are ms since epoch from ctx.now. The definition
 * (with its answers) is not here: it is the room's creation config, which
 * every hook reads from `ctx.config` (see definitionOf). Neither ever leaves
 * the server; only view() output does.
 */
export interface QuestState {
  sessionId: string;
  questId: string;
  mode: "solo" | "team";
  createdAt: number;
  /** The team, in registration order. `online` mirrors the core's presence hook. */
  players: PlayerRecord[];
  objects: Record<string, ObjectProgress>;
  nodes: Record<string, NodeProgress>;
  /** Last relayed player_state_update per player (independent travel throttle). */
  lastPositionAt: Record<string, number>;
  completedAt: number | null;
}

export interface PlayerRecord {
  playerId: string;
  playerName: string;
  registeredAt: number;
  online: boolean;
}

/** locked: outside the window; available: in it; arrived: someone is there, nodes run; completed. */
export type ObjectStatus = "locked" | "available" | "arrived" | "completed";

export interface ObjectProgress {
  status: ObjectStatus;
  availableAt: number | null;
  arrivedAt: number | null;
  /** Each player's first arrival, in order; the first one unlocked the object. */
  arrivals: { playerId: string; at: number }[];
  completedAt: number | null;
  completedBy: string | null;
}

/** Session-level status: a node unlocks for the whole team and closes for the whole team. */
export type NodeStatus = "locked" | "unlocked" | "completed";

export interface NodeProgress {
  status: NodeStatus;
  unlockedAt: number | null;
  completedAt: number | null;
  /** The player whose event closed the node. */
  completedBy: string | null;
  /** Closed because attempts ran out rather than by success. */
  failed: boolean;
  /** Per-player tracks (player scope, consensus): who succeeded, each once, in order. */
  succeeded: string[];
  /** Per-player tracks: whose puzzle attempts ran out. */
  exhausted: string[];
  /** Team track puzzles: submissions by the whole team. */
  teamAttempts: number;
  /** Per-player track puzzles: submissions per player. */
  playerAttempts: Record<string, number>;
}

/**
 * How a node is progressed:
 * - team: a session node without consensus; any one player's success closes it.
 * - consensus: a session gate; closes when `required` distinct players succeeded.
 * - player: each player does it for themselves; closes when every player is done.
 */
export type Track = "team" | "consensus" | "player";

export function trackOf(node: QuestNode): Track {
  if (node.scope === "player") return "player";
  return node.consensus ? "consensus" : "team";
}

export interface NodeLocation {
  object: QuestObject;
  objectIndex: number;
  node: QuestNode;
  nodeIndex: number;
}

/**
 * The quest definition of this room: `ctx.config.definition`, validated by
 * questConfigSchema when the room was created (defaults applied). It is not
 * parsed again per command (up to 200 KB); a config without one is a
 * programming error.
 */
export function definitionOf(ctx: Pick<KindCtx, "config">): QuestDefinition {
  const definition = (ctx.config as Partial<QuestConfig>).definition;
  if (typeof definition !== "object" || definition === null || !Array.isArray(definition.objects)) {
    throw new Error("quest hook called without ctx.config.definition");
  }
  return definition;
}

export function locateNode(definition: QuestDefinition, nodeId: string): NodeLocation | undefined {
  for (const [objectIndex, object] of definition.objects.entries()) {
    const nodeIndex = object.timeline.findIndex((n) => n.id === nodeId);
    const node = object.timeline[nodeIndex];
    if (node) return { object, objectIndex, node, nodeIndex };
  }
  return undefined;
}

export function findPlayer(state: QuestState, playerId: string): PlayerRecord | undefined {
  return state.players.find((p) => p.playerId === playerId);
}

export function objectProgress(state: QuestState, objectId: string): ObjectProgress {
  const progress = getOwn(state.objects, objectId);
  // init creates an entry for every object of the (immutable) definition.
  if (!progress) throw new Error(`quest state has no progress for object ${objectId}`);
  return progress;
}

export function nodeProgress(state: QuestState, nodeId: string): NodeProgress {
  const progress = getOwn(state.nodes, nodeId);
  if (!progress) throw new Error(`quest state has no progress for node ${nodeId}`);
  return progress;
}

/**
 * A copy whose progress parts may be mutated freely while rules run (a
 * rejected command simply drops it).
 */
export function draftOf(state: QuestState): QuestState {
  return {
    ...shallowCopy(state),
    players: structuredClone(state.players),
    objects: structuredClone(state.objects),
    nodes: structuredClone(state.nodes),
    lastPositionAt: structuredClone(state.lastPositionAt),
  };
}

/**
 * A shallow copy to build the next state from. It leaves out `definition`,
 * which states written before the definition moved to ctx.config still
 * carry, so such a room stops rewriting it with its next change.
 */
export function shallowCopy(state: QuestState): QuestState {
  const { definition: _legacy, ...rest } = state as QuestState & { definition?: unknown };
  return rest;
}

/**
 * The objects that should be available now: the first `window` objects
 * (in definition order) that are not completed. Completing one slides the
 * window over the next.
 */
export function windowObjectIds(state: QuestState, definition: QuestDefinition): string[] {
  return definition.objects
    .filter((o) => objectProgress(state, o.id).status !== "completed")
    .slice(0, definition.window)
    .map((o) => o.id);
}

/**
 * A fresh room. The first `window` objects start available; init returns
 * only state, so no OBJECT_AVAILABLE deltas exist for them (nobody is
 * connected yet): the snapshot is where a client sees them.
 */
export function initQuest(rawConfig: Readonly<Record<string, unknown>>, ctx: { now: number; roomId: string }): QuestState {
  // The core validates with questConfigSchema first; parsing again gives the
  // defaults and types, and a bad config here is a programming error.
  const config = questConfigSchema.parse(rawConfig);
  const objects: Record<string, ObjectProgress> = {};
  const nodes: Record<string, NodeProgress> = {};
  for (const object of config.definition.objects) {
    setOwn(objects, object.id, {
      status: "locked",
      availableAt: null,
      arrivedAt: null,
      arrivals: [],
      completedAt: null,
      completedBy: null,
    });
    for (const node of object.timeline) {
      setOwn(nodes, node.id, {
        status: "locked",
        unlockedAt: null,
        completedAt: null,
        completedBy: null,
        failed: false,
        succeeded: [],
        exhausted: [],
        teamAttempts: 0,
        playerAttempts: {},
      });
    }
  }
  const state: QuestState = {
    sessionId: ctx.roomId,
    questId: config.questId,
    mode: config.mode,
    createdAt: ctx.now,
    players: [],
    objects,
    nodes,
    lastPositionAt: {},
    completedAt: null,
  };
  for (const entry of config.players ?? []) {
    if (!findPlayer(state, entry.playerId)) {
      state.players.push({ ...entry, registeredAt: ctx.now, online: false });
    }
  }
  for (const objectId of windowObjectIds(state, config.definition)) {
    const progress = objectProgress(state, objectId);
    progress.status = "available";
    progress.availableAt = ctx.now;
  }
  return state;
}
