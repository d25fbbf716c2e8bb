import { applied, reject } from "../../core/kind.ts";
import type { KindCtx, ApplyResult, Emit, Rejection } from "../../core/kind.ts";
import { changeTurn, turnView, updateCombat } from "./combat";
import type { CombatChange } from "./combat";
import { rollDice } from "./dice";
import { frame, playerListFrame, roomJoinedFrame } from "./frame";
import { makePlayer } from "./player";
import { isDm } from "./roles";
import type { TabletopCommand } from "./schema";
import type { Player, TabletopState } from "./state";
import { isoTimestamp } from "./timestamp";

/**
 * The tabletop rules (seed 002). Pure: the actor, clock and dice come from
 * ctx. Guards run in one fixed order: DM-only commands check the role first
 * (so a player always gets the seed's exact "Only DM can ..." message), then
 * every room command checks that the sender is in the room.
 */

type Result = ApplyResult<TabletopState>;
type Cmd<T extends TabletopCommand["type"]> = Extract<TabletopCommand, { type: T }>;

/** Messages a non-DM gets; the narration one is the seed's, word for word. */
export const DM_ONLY_MESSAGES = {
  dm_narration: "Only DM can send narration",
  turn_change: "Only DM can change turns",
  combat_update: "Only DM can update combat",
} as const;

const notInRoom = () => reject("NOT_IN_ROOM", "Join the room first (send join_room)", 409);

const findPlayer = (state: TabletopState, userId: string): Player | undefined =>
  state.players.find((p) => p.user_id === userId);

export function apply(state: TabletopState, command: TabletopCommand, ctx: KindCtx): Result {
  switch (command.type) {
    case "ping":
      // Personal and unlogged: the seed echoes the client's timestamp; server_time helps clock skew.
      return applied(state, [], {
        replies: [frame("pong", { timestamp: command.timestamp ?? null, server_time: isoTimestamp(ctx.now) })],
      });
    case "join_room":
      return joinRoom(state, command, ctx);
    case "leave_room":
      return leaveRoom(state, ctx);
    case "dm_narration":
    case "turn_change":
    case "combat_update":
      if (!isDm(state, ctx.actor)) return reject("DM_ONLY", DM_ONLY_MESSAGES[command.type], 403);
      break;
  }

  const player = findPlayer(state, ctx.actor.userId);
  if (!player) return notInRoom();
  const timestamp = isoTimestamp(ctx.now);

  switch (command.type) {
    case "chat_message":
      return applied(state, [room(frame("chat_message", { player, message: command.message, timestamp }))]);
    case "dice_roll":
      return diceRoll(state, command, player, timestamp, ctx);
    case "dm_narration":
      return applied(state, [room(frame("dm_narration", { narration: command.narration, timestamp, player }))]);
    case "player_action":
      // The seed's PlayerAction nests the action: `{player, action: {action_type, details}, timestamp}`.
      return applied(state, [
        room(
          frame("player_action", {
            player,
            action: { action_type: command.action_type, details: command.details ?? null },
            timestamp,
          }),
        ),
      ]);
    case "whisper":
      return whisper(state, command, player, timestamp, ctx);
    case "turn_change":
      return encounter(state, changeTurn(state, command.turn), "turn_change", timestamp);
    case "combat_update":
      return encounter(state, updateCombat(state, command.combat, () => ctx.random()), "combat_update", timestamp);
  }
}

const room = (body: Record<string, unknown>): Emit => ({ body });

/**
 * Joining again while in the room just re-sends the personal frames. After
 * leave_room it re-enters: everyone else hears player_joined.
 */
function joinRoom(state: TabletopState, command: Cmd<"join_room">, ctx: KindCtx): Result {
  const existing = findPlayer(state, ctx.actor.userId);
  if (existing) {
    return applied(state, [], { replies: [roomJoinedFrame(state, existing), playerListFrame(state)] });
  }
  const player = makePlayer(ctx.actor, command, isDm(state, ctx.actor), ctx.now);
  const next: TabletopState = { ...state, players: [...state.players, player] };
  return applied(
    next,
    [{ body: frame("player_joined", { player, total_players: next.players.length }), skipOrigin: true }],
    { replies: [roomJoinedFrame(next, player), playerListFrame(next)] },
  );
}

/**
 * leave_room takes the user out of the player list (the seed removes the
 * player too) but the socket stays open: it still hears room frames, its room
 * commands get NOT_IN_ROOM, and join_room brings it back. Closing the socket
 * later is then a no-op for presence.
 */
function leaveRoom(state: TabletopState, ctx: KindCtx): Result {
  const left = frame("room_left", { session_id: state.session_id });
  const existing = findPlayer(state, ctx.actor.userId);
  if (!existing) return applied(state, [], { replies: [left] });
  const players = state.players.filter((p) => p.user_id !== existing.user_id);
  return applied(
    { ...state, players },
    [{ body: frame("player_left", { player: existing, total_players: players.length }), skipOrigin: true }],
    { replies: [left] },
  );
}

/**
 * The server rolls; the client's `result`/`rolls` were stripped by the schema.
 * `data` is the seed's DiceRoll `{formula, result, rolls, modifier, player,
 * timestamp}` with `kept`/`dropped`/`terms`, and repeats the roll under
 * `data.roll` because the seed's own server and docs read `data.roll.result`.
 */
function diceRoll(state: TabletopState, command: Cmd<"dice_roll">, player: Player, timestamp: string, ctx: KindCtx): Result {
  const outcome = rollDice(command.formula, () => ctx.random());
  if (!outcome.ok) return reject(outcome.code, outcome.message, 400);
  const { roll } = outcome;
  return applied(state, [
    room(
      frame("dice_roll", {
        ...roll,
        player,
        timestamp,
        ...(command.label === undefined ? {} : { label: command.label }),
        roll,
      }),
    ),
  ]);
}

/**
 * A whisper reaches the target and the sender only (also in replay and
 * history). The target must belong to the session: online now, invited, or
 * the DM. One who is offline gets it in the history of their next join
 * (`recipient_online: false` tells the sender so). Anyone else is a clear
 * UNKNOWN_RECIPIENT, so a typo never silently swallows a secret.
 */
function whisper(state: TabletopState, command: Cmd<"whisper">, player: Player, timestamp: string, ctx: KindCtx): Result {
  const target = command.to_user_id;
  if (target === player.user_id) return reject("WHISPER_TO_SELF", "You cannot whisper to yourself", 400);
  const online = findPlayer(state, target) !== undefined || ctx.online.some((a) => a.userId === target);
  const member = online || target === state.dm_user_id || (state.invited?.includes(target) ?? false);
  if (!member) return reject("UNKNOWN_RECIPIENT", `No player ${JSON.stringify(target)} in this session`, 404);
  return applied(state, [
    {
      body: frame("whisper", {
        player,
        from_user_id: player.user_id,
        to_user_id: target,
        message: command.message,
        timestamp,
        recipient_online: online,
      }),
      to: [target, player.user_id],
    },
  ]);
}

/**
 * Each command announces its own event. When a fight starts or ends the
 * other one follows too, so a client that only tracks turn_change (or only
 * combat_update) still learns it.
 */
function encounter(
  state: TabletopState,
  change: CombatChange | Rejection,
  event: "turn_change" | "combat_update",
  timestamp: string,
): Result {
  if (!change.ok) return change;
  const next: TabletopState = { ...state, combat: change.combat, turn: change.turn, combat_changed_at: timestamp };
  const combatFrame = room(frame("combat_update", { combat: next.combat, timestamp }));
  const turnFrame = room(frame("turn_change", { turn: turnView(next), timestamp }));
  const flipped = state.combat.active !== next.combat.active;
  if (event === "turn_change") return applied(next, flipped ? [combatFrame, turnFrame] : [turnFrame]);
  return applied(next, flipped ? [combatFrame, turnFrame] : [combatFrame]);
}
