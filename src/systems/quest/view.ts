import type { Actor, KindCtx } from "../../core/kind.ts";
import { isoTime } from "./deltas";
import { requiredFor } from "./progress";
import { getOwn } from "./record";
import type { QuestNode, QuestObject } from "./schema";
import type { NodeStatus, ObjectStatus, QuestState } from "./state";
import { definitionOf, findPlayer, nodeProgress, objectProgress, trackOf } from "./state";

/**
 * The snapshot (`GET /api/runtime/session/:sessionId`, the HTTP answer's
 * `snapshot`, the socket's snapshot frame). Built field by field from a
 * whitelist, never by copying the definition, so puzzle answers cannot leak.
 * What a viewer may not see: answers, locked objects' details (the seed's
 * window makes objects "visible" as it slides), locked nodes' content,
 * other players' attempt counts and positions.
 */
export interface QuestSnapshot {
  sessionId: string;
  questId: string;
  title: string;
  description?: string;
  mode: "solo" | "team";
  teamTravelMode: "co-located" | "independent";
  window: number;
  status: "active" | "completed";
  completed: boolean;
  createdAt: string;
  completedAt: string | null;
  /** The viewer's own player id when they are on the team, else null (services, strangers). */
  playerId: string | null;
  players: { playerId: string; playerName: string; online: boolean }[];
  objectsCompleted: number;
  objectsTotal: number;
  /** Objects in the window (available or arrived), in quest order. */
  availableObjectIds: string[];
  objects: SnapshotObject[];
}

export type SnapshotObject =
  | { id: string; index: number; status: "locked" }
  | {
      id: string;
      index: number;
      status: Exclude<ObjectStatus, "locked">;
      name: string;
      description?: string;
      location?: { lat: number; lng: number; radiusM: number };
      availableAt: string | null;
      arrivedAt: string | null;
      /** Players who arrived, first arrival first. */
      arrivedBy: string[];
      completedAt: string | null;
      nodes: SnapshotNode[];
    };

export interface SnapshotNode {
  id: string;
  kind: QuestNode["kind"];
  scope: QuestNode["scope"];
  status: NodeStatus;
  /** Closed because attempts ran out. */
  failed: boolean;
  unlockedAt: string | null;
  completedAt: string | null;
  completedBy: string | null;
  /** Content appears once the node unlocks. */
  title?: string;
  text?: string;
  media?: QuestNode["media"];
  maxAttempts?: number;
  /** Puzzles: the team's budget on team nodes, the viewer's own on per-player nodes. */
  attempts?: { used: number; left: number | null };
  /** Consensus gates: how many of `required` succeeded, and who. */
  consensus?: { count: number; required: number; playerIds: string[] };
  /** Player-scope nodes: who has finished their own copy. */
  players?: { done: number; total: number; playerIds: string[] };
  /** Per-player nodes, for a viewer on the team: their own standing. */
  mine?: "todo" | "succeeded" | "failed" | "skipped";
}

const time = (t: number | null): string | null => (t === null ? null : isoTime(t));

/** The snapshot for `viewer`: progress from `state`, content from `ctx.config.definition`. */
export function questView(state: QuestState, viewer: Actor, ctx: Pick<KindCtx, "config">): QuestSnapshot {
  const definition = definitionOf(ctx);
  const me = viewer.service ? undefined : findPlayer(state, viewer.userId);
  const myId = me?.playerId ?? null;
  const objects = definition.objects.map((object, index) => viewObject(state, object, index, myId));
  const completed = state.completedAt !== null;
  return {
    sessionId: state.sessionId,
    questId: state.questId,
    title: definition.title,
    ...(definition.description === undefined ? {} : { description: definition.description }),
    mode: state.mode,
    teamTravelMode: definition.teamTravelMode,
    window: definition.window,
    status: completed ? "completed" : "active",
    completed,
    createdAt: isoTime(state.createdAt),
    completedAt: time(state.completedAt),
    playerId: myId,
    players: state.players.map((p) => ({ playerId: p.playerId, playerName: p.playerName, online: p.online })),
    objectsCompleted: objects.filter((o) => o.status === "completed").length,
    objectsTotal: objects.length,
    availableObjectIds: objects.filter((o) => o.status === "available" || o.status === "arrived").map((o) => o.id),
    objects,
  };
}

function viewObject(state: QuestState, object: QuestObject, index: number, myId: string | null): SnapshotObject {
  const progress = objectProgress(state, object.id);
  if (progress.status === "locked") return { id: object.id, index, status: "locked" };
  return {
    id: object.id,
    index,
    status: progress.status,
    name: object.name,
    ...(object.description === undefined ? {} : { description: object.description }),
    ...(object.location === undefined ? {} : { location: { ...object.location } }),
    availableAt: time(progress.availableAt),
    arrivedAt: time(progress.arrivedAt),
    arrivedBy: progress.arrivals.map((a) => a.playerId),
    completedAt: time(progress.completedAt),
    nodes: object.timeline.map((node) => viewNode(state, node, myId)),
  };
}

function viewNode(state: QuestState, node: QuestNode, myId: string | null): SnapshotNode {
  const progress = nodeProgress(state, node.id);
  const track = trackOf(node);
  const view: SnapshotNode = {
    id: node.id,
    kind: node.kind,
    scope: node.scope,
    status: progress.status,
    failed: progress.failed,
    unlockedAt: time(progress.unlockedAt),
    completedAt: time(progress.completedAt),
    completedBy: progress.completedBy,
  };
  if (progress.status !== "locked") {
    if (node.title !== undefined) view.title = node.title;
    if (node.text !== undefined) view.text = node.text;
    if (node.media !== undefined) view.media = { ...node.media };
  }
  if (node.kind === "puzzle") {
    if (node.maxAttempts !== undefined) view.maxAttempts = node.maxAttempts;
    const used =
      track === "team" ? progress.teamAttempts : myId === null ? undefined : (getOwn(progress.playerAttempts, myId) ?? 0);
    if (used !== undefined) {
      view.attempts = { used, left: node.maxAttempts === undefined ? null : Math.max(0, node.maxAttempts - used) };
    }
  }
  if (track === "consensus") {
    view.consensus = {
      count: progress.succeeded.length,
      required: requiredFor(state, node),
      playerIds: [...progress.succeeded],
    };
  }
  if (track === "player") {
    const done = [...progress.succeeded, ...progress.exhausted];
    view.players = { done: done.length, total: state.players.length, playerIds: done };
  }
  if (track !== "team" && myId !== null) {
    view.mine = progress.succeeded.includes(myId)
      ? "succeeded"
      : progress.exhausted.includes(myId)
        ? "failed"
        : progress.status === "completed"
          ? "skipped"
          : "todo";
  }
  return view;
}
