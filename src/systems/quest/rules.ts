import type { KindCtx, ApplyResult, Emit, Rejection } from "../../core/kind.ts";
import { applied, reject } from "../../core/kind.ts";
import { matchesAnswer } from "./answers";
import type { QuestDelta } from "./deltas";
import { isoTime, runtimeDeltaEmit } from "./deltas";
import { haversineM } from "./haversine";
import type { Step } from "./progress";
import { recordExhaustion, recordSuccess, requiredFor, startObject } from "./progress";
import { getOwn, setOwn } from "./record";
import type { PlayerStateUpdate, QuestCommand, QuestDefinition, QuestNode, RuntimeEvent } from "./schema";
import { MAX_PLAYERS } from "./schema";
import type { NodeLocation, QuestState } from "./state";
import { definitionOf, draftOf, findPlayer, locateNode, nodeProgress, objectProgress, shallowCopy, trackOf } from "./state";

/** Independent travel: at most one relayed position per player per this many ms (seed 000: "every 5-10s"). */
export const POSITION_INTERVAL_MS = 5_000;

/**
 * The quest rules: `apply(state, command, ctx)`, the definition read from
 * `ctx.config.definition` (never from state). Pure; every rejection
 * returns before anything is kept, and a BATCH runs on one draft that is
 * dropped whole if any event is rejected.
 */
export function applyQuest(state: QuestState, command: QuestCommand, ctx: KindCtx): ApplyResult<QuestState> {
  switch (command.type) {
    case "join":
    case "join_session":
      return join(state, command.sessionId, ctx);
    case "player_state_update":
      return playerStateUpdate(state, command, ctx);
    case "REGISTER_PLAYER":
      return registerPlayer(state, command.playerId, command.playerName, ctx);
    case "BATCH":
      return runEvents(state, command.events, ctx, command.playerId, true);
    default:
      return runEvents(state, [command], ctx, undefined, false);
  }
}

/**
 * Who an event acts for: a service names the player (its publishing scope
 * was checked by the authorize stage, questAuth); a player token acts for
 * itself only.
 */
export function resolvePlayer(state: QuestState, ctx: KindCtx, requested: string | undefined): string | Rejection {
  const { actor } = ctx;
  let playerId: string;
  // A service's scope was checked by the authorize stage (questAuth).
  if (actor.service) {
    if (requested === undefined) return reject("PLAYER_ID_REQUIRED", "A service must name the playerId it acts for.", 400);
    playerId = requested;
  } else {
    if (requested !== undefined && requested !== actor.userId) {
      return reject("FORBIDDEN", "A player can only act for themselves.", 403);
    }
    playerId = actor.userId;
  }
  if (!findPlayer(state, playerId)) return reject("NOT_ON_TEAM", `Player ${playerId} is not on this team.`, 403);
  return playerId;
}

function runEvents(
  state: QuestState,
  events: readonly RuntimeEvent[],
  ctx: KindCtx,
  defaultPlayerId: string | undefined,
  isBatch: boolean,
): ApplyResult<QuestState> {
  const draft = draftOf(state);
  const definition = definitionOf(ctx);
  const deltas: QuestDelta[] = [];
  for (const [index, event] of events.entries()) {
    const playerId = resolvePlayer(draft, ctx, event.playerId ?? defaultPlayerId);
    const rejection =
      typeof playerId === "string" ? runEvent({ draft, definition, playerId, now: ctx.now, deltas }, event) : playerId;
    if (rejection) {
      // All or nothing: the draft is dropped; say which event failed.
      return isBatch ? { ...rejection, details: { index, ...(rejection.details as object | undefined) } } : rejection;
    }
  }
  return applied(draft, [runtimeDeltaEmit(ctx.roomId, deltas)], { result: { deltas } });
}

/** Applies one runtime event to the draft, or says why not (the draft is then discarded). */
function runEvent(step: Step, event: RuntimeEvent): Rejection | undefined {
  switch (event.type) {
    case "OBJECT_ARRIVE":
      return arrive(step, event);
    case "NODE_COMPLETE": {
      const loc = openNode(step, event.nodeId, ["audio", "text"], "NODE_COMPLETE");
      if (!isLocation(loc)) return loc;
      recordSuccess(step, loc);
      return undefined;
    }
    case "PUZZLE_SUBMIT":
      return submit(step, event.nodeId, event.answer);
    case "ACTION_ATTEMPT": {
      const loc = openNode(step, event.nodeId, ["action"], "ACTION_ATTEMPT");
      if (!isLocation(loc)) return loc;
      step.deltas.push(nodeDelta(step, "ACTION_ATTEMPTED", loc));
      return undefined;
    }
    case "ACTION_RESULT": {
      const loc = openNode(step, event.nodeId, ["action"], "ACTION_RESULT");
      if (!isLocation(loc)) return loc;
      if (!event.success) {
        // A failed try changes nothing but is news for the team ("Ben's lift slipped").
        step.deltas.push(nodeDelta(step, "ACTION_FAIL", loc));
        return undefined;
      }
      step.deltas.push(nodeDelta(step, "ACTION_SUCCESS", loc));
      recordSuccess(step, loc);
      return undefined;
    }
  }
}

function arrive(step: Step, event: Extract<RuntimeEvent, { type: "OBJECT_ARRIVE" }>): Rejection | undefined {
  const { draft, playerId, now } = step;
  const object = step.definition.objects.find((o) => o.id === event.objectId);
  if (!object) return reject("UNKNOWN_OBJECT", `This quest has no object ${event.objectId}.`, 404);
  const progress = objectProgress(draft, object.id);
  if (progress.status === "locked") {
    return reject("OBJECT_NOT_AVAILABLE", `Object ${object.id} is not available yet.`, 409);
  }
  if (progress.status === "completed") {
    return reject("OBJECT_ALREADY_COMPLETED", `Object ${object.id} is already completed.`, 409);
  }
  if (progress.arrivals.some((a) => a.playerId === playerId)) {
    return reject("ALREADY_ARRIVED", `Player ${playerId} already arrived at ${object.id}.`, 409);
  }
  if (object.location && event.lat !== undefined && event.lng !== undefined) {
    const distanceM = haversineM({ lat: event.lat, lng: event.lng }, object.location);
    if (distanceM > object.location.radiusM) {
      return reject("OUT_OF_RANGE", `You are ${Math.round(distanceM)} m from ${object.name}; come within ${object.location.radiusM} m.`, 409, {
        distanceM: Math.round(distanceM),
        radiusM: object.location.radiusM,
      });
    }
  }
  const first = progress.status === "available";
  progress.arrivals.push({ playerId, at: now });
  step.deltas.push({ type: "OBJECT_ARRIVED", playerId, objectId: object.id, first, timestamp: isoTime(now) });
  if (first) {
    progress.status = "arrived";
    progress.arrivedAt = now;
    startObject(step, object);
  }
  return undefined;
}

function submit(step: Step, nodeId: string, answer: string): Rejection | undefined {
  const loc = openNode(step, nodeId, ["puzzle"], "PUZZLE_SUBMIT");
  if (!isLocation(loc)) return loc;
  const { draft, playerId, now } = step;
  const { node } = loc;
  const progress = nodeProgress(draft, node.id);
  // Team puzzles share one attempt budget; per-player tracks have one each.
  let used: number;
  if (trackOf(node) === "team") {
    used = progress.teamAttempts += 1;
  } else {
    used = (getOwn(progress.playerAttempts, playerId) ?? 0) + 1;
    setOwn(progress.playerAttempts, playerId, used);
  }
  const correct = matchesAnswer(answer, node.answers ?? []);
  step.deltas.push({
    type: "PUZZLE_SUBMITTED",
    playerId,
    objectId: loc.object.id,
    nodeId: node.id,
    correct,
    attempts: used,
    attemptsLeft: node.maxAttempts === undefined ? null : Math.max(0, node.maxAttempts - used),
    timestamp: isoTime(now),
  });
  if (correct) recordSuccess(step, loc);
  else if (node.maxAttempts !== undefined && used >= node.maxAttempts) recordExhaustion(step, loc);
  return undefined;
}

/**
 * The guards every node event passes, in a fixed order: the node exists,
 * takes this event, is unlocked, this player (or the team) has not already
 * succeeded, attempts are left, and the node is still open.
 */
function openNode(step: Step, nodeId: string, kinds: readonly QuestNode["kind"][], eventType: string): NodeLocation | Rejection {
  const { draft, playerId } = step;
  const loc = locateNode(step.definition, nodeId);
  if (!loc) return reject("UNKNOWN_NODE", `This quest has no node ${nodeId}.`, 404);
  const { node } = loc;
  if (!kinds.includes(node.kind)) {
    return reject("NODE_KIND_MISMATCH", `${eventType} does not apply to ${node.kind} node ${nodeId}.`, 400);
  }
  const progress = nodeProgress(draft, nodeId);
  if (progress.status === "locked") return reject("NODE_LOCKED", `Node ${nodeId} is not unlocked yet.`, 409);
  const track = trackOf(node);
  // Success is final: a player (or team) that solved it hears "already done", even on its last attempt.
  if (track !== "team" && progress.succeeded.includes(playerId)) {
    return track === "consensus"
      ? reject("ALREADY_COUNTED", `Player ${playerId} already counts toward ${nodeId}.`, 409)
      : reject("NODE_ALREADY_COMPLETED", `Player ${playerId} already completed ${nodeId}.`, 409);
  }
  if (track === "team" && progress.status === "completed" && !progress.failed) {
    return reject("NODE_ALREADY_COMPLETED", `Node ${nodeId} is already completed.`, 409);
  }
  if (node.kind === "puzzle" && node.maxAttempts !== undefined) {
    const used = track === "team" ? progress.teamAttempts : (getOwn(progress.playerAttempts, playerId) ?? 0);
    if (used >= node.maxAttempts) {
      return reject("ATTEMPTS_EXHAUSTED", `No attempts left on ${nodeId} (${node.maxAttempts} allowed).`, 409, {
        maxAttempts: node.maxAttempts,
      });
    }
  }
  if (progress.status === "completed") return reject("NODE_ALREADY_COMPLETED", `Node ${nodeId} is already completed.`, 409);
  return loc;
}

const isLocation = (x: NodeLocation | Rejection): x is NodeLocation => !("ok" in x);

function nodeDelta(step: Step, type: "ACTION_ATTEMPTED" | "ACTION_SUCCESS" | "ACTION_FAIL", loc: NodeLocation): QuestDelta {
  return { type, playerId: step.playerId, objectId: loc.object.id, nodeId: loc.node.id, timestamp: isoTime(step.now) };
}

/**
 * Adds (or renames) a team member. Only the worker, as a `rooms:admin`
 * service, may: team membership is decided by `POST /api/teams[/:code/join]`.
 */
function registerPlayer(state: QuestState, playerId: string, playerName: string, ctx: KindCtx): ApplyResult<QuestState> {
  // Only a rooms:admin service gets here (questAuth).
  const { now } = ctx;
  const existing = findPlayer(state, playerId);
  if (existing && existing.playerName === playerName) {
    // A retried registration is a no-op, not an error: the worker may repeat it safely.
    return applied(state, [], { result: { deltas: [] } });
  }
  if (!existing) {
    if (state.mode === "solo" && state.players.length >= 1) {
      return reject("TEAM_FULL", "A solo session has exactly one player.", 409);
    }
    if (state.players.length >= MAX_PLAYERS) return reject("TEAM_FULL", `A team has at most ${MAX_PLAYERS} players.`, 409);
  }
  const draft = draftOf(state);
  const definition = definitionOf(ctx);
  const deltas: QuestDelta[] = [{ type: "PLAYER_REGISTERED", playerId, playerName, timestamp: isoTime(now) }];
  const renamed = findPlayer(draft, playerId);
  if (renamed) {
    renamed.playerName = playerName;
  } else {
    const before = new Map(openGates(draft, definition).map(({ node }) => [node.id, requiredFor(draft, node)]));
    draft.players.push({ playerId, playerName, registeredAt: now, online: false });
    // A bigger team raises "all" (and capped numeric) gates that are still open.
    for (const { objectId, node } of openGates(draft, definition)) {
      const required = requiredFor(draft, node);
      if (required === before.get(node.id)) continue;
      const count = nodeProgress(draft, node.id).succeeded.length;
      deltas.push({ type: "CONSENSUS_UPDATED", objectId, nodeId: node.id, count, required, timestamp: isoTime(now) });
    }
  }
  return applied(draft, [runtimeDeltaEmit(ctx.roomId, deltas)], { result: { deltas } });
}

/** Unlocked consensus nodes: the gates whose `required` follows the team size. */
function openGates(state: QuestState, definition: QuestDefinition): { objectId: string; node: QuestNode }[] {
  return definition.objects.flatMap((o) =>
    o.timeline
      .filter((n) => n.consensus && nodeProgress(state, n.id).status === "unlocked")
      .map((node) => ({ objectId: o.id, node })),
  );
}

/**
 * Seed 000's `join` frame. The socket is already admitted (admit()); the
 * frame only confirms which session and player this connection is.
 */
function join(state: QuestState, sessionId: string | undefined, ctx: KindCtx): ApplyResult<QuestState> {
  const { actor } = ctx;
  if (sessionId !== undefined && sessionId.toUpperCase() !== ctx.roomId.toUpperCase()) {
    return reject("SESSION_MISMATCH", `This connection belongs to session ${ctx.roomId}, not ${sessionId}.`, 400);
  }
  const player = actor.service ? undefined : findPlayer(state, actor.userId);
  if (!actor.service && !player) return reject("NOT_ON_TEAM", `Player ${actor.userId} is not on this team.`, 403);
  const reply = {
    type: "joined",
    sessionId: ctx.roomId,
    playerId: player?.playerId ?? null,
    playerName: player?.playerName ?? actor.name,
  };
  return applied(state, [], { replies: [reply], result: reply });
}

/**
 * Position sync (seed 000). Co-located teams travel together, so positions
 * are dropped. Independent teams get at most one relayed position per
 * player per POSITION_INTERVAL_MS; extras are dropped silently (phones send
 * on their own schedule; an error per ping would be noise).
 */
function playerStateUpdate(state: QuestState, update: PlayerStateUpdate, ctx: KindCtx): ApplyResult<QuestState> {
  const playerId = resolvePlayer(state, ctx, undefined);
  if (typeof playerId !== "string") return playerId;
  if (definitionOf(ctx).teamTravelMode === "co-located") {
    return applied(state, [], { result: { relayed: false, reason: "co-located" } });
  }
  const last = getOwn(state.lastPositionAt, playerId);
  if (last !== undefined && ctx.now - last < POSITION_INTERVAL_MS) {
    return applied(state, [], { result: { relayed: false, reason: "throttled" } });
  }
  const draft = { ...shallowCopy(state), lastPositionAt: { ...state.lastPositionAt } };
  setOwn(draft.lastPositionAt, playerId, ctx.now);
  const { type: _type, ...position } = update;
  const to = state.players.map((p) => p.playerId).filter((id) => id !== playerId);
  const emits: Emit[] = [];
  if (to.length > 0) {
    emits.push({
      body: { type: "player_state_update", playerId, ...position, timestamp: isoTime(ctx.now) },
      to,
      log: false,
      skipOrigin: true,
    });
  }
  return applied(draft, emits, { result: { relayed: true } });
}
