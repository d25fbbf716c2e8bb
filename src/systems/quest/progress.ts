import type { QuestDelta } from "./deltas";
import { isoTime } from "./deltas";
import type { QuestDefinition, QuestNode, QuestObject } from "./schema";
import type { NodeLocation, QuestState } from "./state";
import { nodeProgress, objectProgress, trackOf, windowObjectIds } from "./state";

/**
 * The progression engine: what follows from a success or a failure on a
 * node. It mutates a draft (see draftOf) and appends the deltas in the order
 * things happened, so a client replaying them sees a causal story:
 * NODE_COMPLETED -> NODE_UNLOCKED | OBJECT_COMPLETED -> OBJECT_AVAILABLE -> QUEST_COMPLETED.
 */
export interface Step {
  draft: QuestState;
  /** The room's definition (ctx.config.definition); read only. */
  definition: QuestDefinition;
  /** The acting player (already checked to be on the team). */
  playerId: string;
  now: number;
  deltas: QuestDelta[];
}

/** A consensus gate's effective `required`: "all" is the team; a number is capped at the team. */
export function requiredFor(state: QuestState, node: QuestNode): number {
  const team = Math.max(1, state.players.length);
  const required = node.consensus?.required ?? "all";
  return required === "all" ? team : Math.min(required, team);
}

/** A player is done with a per-player node once they succeeded or ran out of attempts. */
export function isDoneFor(state: QuestState, nodeId: string, playerId: string): boolean {
  const progress = nodeProgress(state, nodeId);
  return progress.succeeded.includes(playerId) || progress.exhausted.includes(playerId);
}

/** First arrival at an available object: its timeline starts (or, if empty, it is done). */
export function startObject(step: Step, object: QuestObject): void {
  const first = object.timeline[0];
  if (first) unlockNode(step, object, first);
  else completeObject(step, object);
}

/** One player succeeded on an unlocked node they have not succeeded on yet. */
export function recordSuccess(step: Step, loc: NodeLocation): void {
  const { draft, playerId } = step;
  const progress = nodeProgress(draft, loc.node.id);
  const track = trackOf(loc.node);
  if (track === "team") {
    closeNode(step, loc, false);
    return;
  }
  progress.succeeded.push(playerId);
  if (track === "consensus") {
    const required = requiredFor(draft, loc.node);
    step.deltas.push({
      type: "CONSENSUS_UPDATED",
      playerId,
      objectId: loc.object.id,
      nodeId: loc.node.id,
      count: progress.succeeded.length,
      required,
      timestamp: isoTime(step.now),
    });
    if (progress.succeeded.length >= required) closeNode(step, loc, false);
    return;
  }
  step.deltas.push(nodeCompleted(step, loc, "player", false));
  closeIfEveryoneDone(step, loc);
}

/**
 * The acting player's (or, on a team track, the team's) last allowed
 * attempt failed. The node does not dead-end the quest: it closes as failed
 * and the timeline moves on, as outdoor quest apps do after the last try.
 */
export function recordExhaustion(step: Step, loc: NodeLocation): void {
  const { draft, playerId } = step;
  const progress = nodeProgress(draft, loc.node.id);
  const track = trackOf(loc.node);
  if (track === "team") {
    closeNode(step, loc, true);
    return;
  }
  progress.exhausted.push(playerId);
  if (track === "consensus") {
    // The gate fails once too few players can still succeed to reach `required`.
    const stillPossible = draft.players.length - progress.exhausted.length;
    if (stillPossible < requiredFor(draft, loc.node)) closeNode(step, loc, true);
    return;
  }
  step.deltas.push(nodeCompleted(step, loc, "player", true));
  closeIfEveryoneDone(step, loc);
}

function closeIfEveryoneDone(step: Step, loc: NodeLocation): void {
  const everyoneDone = step.draft.players.every((p) => isDoneFor(step.draft, loc.node.id, p.playerId));
  if (everyoneDone) closeNode(step, loc, false, { silent: true });
}

/**
 * Closes a node for the session and moves on. A player-track node closes
 * silently: each player already got their own NODE_COMPLETED, and the next
 * NODE_UNLOCKED (or OBJECT_COMPLETED) says the team moved on.
 */
function closeNode(step: Step, loc: NodeLocation, failed: boolean, opts: { silent?: boolean } = {}): void {
  const progress = nodeProgress(step.draft, loc.node.id);
  progress.status = "completed";
  progress.completedAt = step.now;
  progress.completedBy = step.playerId;
  progress.failed = failed;
  if (!opts.silent) step.deltas.push(nodeCompleted(step, loc, "session", failed));
  const next = loc.object.timeline[loc.nodeIndex + 1];
  if (next) unlockNode(step, loc.object, next);
  else completeObject(step, loc.object);
}

function unlockNode(step: Step, object: QuestObject, node: QuestNode): void {
  const progress = nodeProgress(step.draft, node.id);
  progress.status = "unlocked";
  progress.unlockedAt = step.now;
  step.deltas.push({
    type: "NODE_UNLOCKED",
    playerId: step.playerId,
    objectId: object.id,
    nodeId: node.id,
    timestamp: isoTime(step.now),
  });
}

function completeObject(step: Step, object: QuestObject): void {
  const { draft, now } = step;
  const progress = objectProgress(draft, object.id);
  progress.status = "completed";
  progress.completedAt = now;
  progress.completedBy = step.playerId;
  step.deltas.push({ type: "OBJECT_COMPLETED", playerId: step.playerId, objectId: object.id, timestamp: isoTime(now) });
  slideWindow(step);
  const allDone = step.definition.objects.every((o) => objectProgress(draft, o.id).status === "completed");
  if (allDone && draft.completedAt === null) {
    draft.completedAt = now;
    step.deltas.push({ type: "QUEST_COMPLETED", playerId: step.playerId, questId: draft.questId, timestamp: isoTime(now) });
  }
}

/** Makes every object that entered the window available. */
function slideWindow(step: Step): void {
  for (const objectId of windowObjectIds(step.draft, step.definition)) {
    const progress = objectProgress(step.draft, objectId);
    if (progress.status !== "locked") continue;
    progress.status = "available";
    progress.availableAt = step.now;
    step.deltas.push({ type: "OBJECT_AVAILABLE", objectId, timestamp: isoTime(step.now) });
  }
}

function nodeCompleted(step: Step, loc: NodeLocation, scope: "player" | "session", failed: boolean): QuestDelta {
  return {
    type: "NODE_COMPLETED",
    playerId: step.playerId,
    objectId: loc.object.id,
    nodeId: loc.node.id,
    scope,
    ...(failed ? { failed: true as const } : {}),
    timestamp: isoTime(step.now),
  };
}
