import { reject } from "../../core/kind.ts";
import type { Rejection } from "../../core/kind.ts";
import { rollDie } from "./dice";
import type { CombatantInput, CombatInput, TurnInput } from "./schema";
import { NO_COMBAT } from "./state";
import type { Combatant, CombatState, FreeTurn, TabletopState } from "./state";

/**
 * Initiative, rounds and whose turn it is. The seed relays the DM's combat and
 * turn objects verbatim; Hearth keeps them in state instead so a player who
 * reconnects sees the present fight, and so "next" can be computed on the
 * server rather than trusted from a client.
 */

export interface CombatChange {
  ok: true;
  combat: CombatState;
  turn: FreeTurn | null;
  /** combat.active went from false to true (turn_change with an initiative_order can do that). */
  started: boolean;
}

/** What `turn_change` frames carry: the seed's TurnChange fields, resolved by the server. */
export interface TurnView {
  current_character_id: string | null;
  current_character_name: string | null;
  /** Whose player acts now, when the combatant names one; lets a client say "your turn". */
  current_user_id: string | null;
  /** Index into initiative_order; null outside combat. */
  current_turn: number | null;
  /** 0 before any round has been set. */
  round: number;
  initiative_order: Combatant[];
}

const outOfRange = (index: number, length: number): Rejection =>
  reject("BAD_TURN", `current_turn ${index} is out of range (${length} combatant${length === 1 ? "" : "s"})`, 400);

/** Turns DM input into combatants; optionally rolls 1d20 + modifier for any without initiative. */
function buildCombatants(
  inputs: readonly CombatantInput[],
  random: (() => number) | null,
): { ok: true; combatants: Combatant[] } | Rejection {
  const seen = new Set<string>();
  const combatants: Combatant[] = [];
  for (const input of inputs) {
    // Without an explicit id, the character or name is the key that "whose turn" follows.
    const id = input.id ?? input.character_id ?? input.name;
    if (seen.has(id)) {
      return reject(
        "DUPLICATE_COMBATANT",
        `Two combatants share the id ${JSON.stringify(id)}; give them distinct ids or names`,
        400,
      );
    }
    seen.add(id);
    const c: Combatant = { id, name: input.name };
    if (input.initiative !== undefined) {
      c.initiative = input.initiative;
    } else if (random) {
      const d20 = rollDie(20, random);
      c.initiative_roll = d20;
      c.initiative = d20 + (input.initiative_modifier ?? 0);
    }
    if (input.initiative_modifier !== undefined) c.initiative_modifier = input.initiative_modifier;
    if (input.user_id !== undefined) c.user_id = input.user_id;
    if (input.character_id !== undefined) c.character_id = input.character_id;
    if (input.hp !== undefined) c.hp = input.hp;
    if (input.max_hp !== undefined) c.max_hp = input.max_hp;
    if (input.conditions !== undefined) c.conditions = [...input.conditions];
    if (input.is_npc !== undefined) c.is_npc = input.is_npc;
    combatants.push(c);
  }
  return { ok: true, combatants };
}

/** Highest initiative first; ties go to the higher modifier, then to the order the DM listed. */
function byInitiative(list: readonly Combatant[]): Combatant[] {
  return list
    .map((c, i) => ({ c, i }))
    .sort(
      (a, b) =>
        (b.c.initiative ?? -Infinity) - (a.c.initiative ?? -Infinity) ||
        (b.c.initiative_modifier ?? 0) - (a.c.initiative_modifier ?? 0) ||
        a.i - b.i,
    )
    .map(({ c }) => c);
}

/**
 * After the list changes, the turn stays with whoever had it. If that
 * combatant is gone (fell, fled), the one now in the same slot acts next.
 */
function followCurrent(prev: CombatState, next: readonly Combatant[]): number {
  const current = prev.participants[prev.current_turn];
  const moved = current ? next.findIndex((c) => c.id === current.id) : -1;
  if (moved >= 0) return moved;
  return next.length === 0 ? 0 : Math.min(prev.current_turn, next.length - 1);
}

/** Applies `combat_update.combat` (DM only; the caller checks the role). */
export function updateCombat(state: TabletopState, input: CombatInput, random: () => number): CombatChange | Rejection {
  const prev = state.combat;
  // Ending a fight forgets it: a reconnecting player should not see a stale initiative order.
  if (input.active === false) return { ok: true, combat: NO_COMBAT, turn: null, started: false };
  if (input.active === undefined && !input.participants && input.current_turn === undefined && input.round === undefined) {
    return reject("BAD_COMBAT", "combat_update needs at least one of active, participants, current_turn, round", 400);
  }

  const starting = input.active === true && !prev.active;
  const active = prev.active || starting;
  if (!active && (input.current_turn !== undefined || input.round !== undefined)) {
    return reject("BAD_COMBAT", "current_turn and round need an active combat (send active: true)", 400);
  }

  let participants = prev.participants;
  let currentTurn = prev.current_turn;
  if (input.participants) {
    const built = buildCombatants(input.participants, random);
    if (!built.ok) return built;
    participants = byInitiative(built.combatants);
    currentTurn = followCurrent(prev, participants);
  }
  let round = prev.round;
  if (starting) {
    round = 1;
    currentTurn = 0;
  }
  if (input.round !== undefined) round = input.round;
  if (input.current_turn !== undefined) {
    if (input.current_turn >= Math.max(participants.length, 1)) return outOfRange(input.current_turn, participants.length);
    currentTurn = input.current_turn;
  }

  return {
    ok: true,
    combat: { active, round, current_turn: currentTurn, participants },
    // A running fight owns the turn; a free "spotlight" turn would contradict it.
    turn: active ? null : state.turn,
    started: starting,
  };
}

/** Applies `turn_change.turn` (DM only; the caller checks the role). */
export function changeTurn(state: TabletopState, input: TurnInput): CombatChange | Rejection {
  const prev = state.combat;

  if (input === "next" || input === "previous") {
    if (!prev.active || prev.participants.length === 0) {
      return reject("NO_COMBAT", "No active combat with combatants; start one with combat_update", 409);
    }
    const last = prev.participants.length - 1;
    let index = prev.current_turn + (input === "next" ? 1 : -1);
    let round = prev.round;
    if (index > last) {
      index = 0;
      round += 1;
    } else if (index < 0) {
      if (round <= 1) return reject("BAD_TURN", "Already at the first turn of round 1", 400);
      index = last;
      round -= 1;
    }
    return { ok: true, combat: { ...prev, current_turn: index, round }, turn: null, started: false };
  }

  const id = input.current_character_id ?? undefined;
  const name = input.current_character_name ?? undefined;
  const index = input.current_turn ?? undefined;
  const round = input.round ?? undefined;
  const order = input.initiative_order ?? undefined;
  if (id === undefined && name === undefined && index === undefined && round === undefined && order === undefined) {
    return reject(
      "BAD_TURN",
      'turn_change needs "next", "previous" or a turn with current_character_id, current_character_name, current_turn, round or initiative_order',
      400,
    );
  }

  let combat = prev;
  let started = false;
  if (order) {
    // An explicit order is the DM's word: kept as given, nothing rolled or sorted.
    const built = buildCombatants(order, null);
    if (!built.ok) return built;
    started = !prev.active;
    combat = {
      active: true,
      round: started ? 1 : prev.round,
      current_turn: started ? 0 : followCurrent(prev, built.combatants),
      participants: built.combatants,
    };
  }

  if (combat.active) {
    let current = combat.current_turn;
    if (index !== undefined) {
      if (index >= Math.max(combat.participants.length, 1)) return outOfRange(index, combat.participants.length);
      current = index;
    } else if (id !== undefined || name !== undefined) {
      const found = findCombatant(combat.participants, id, name);
      if (found < 0) {
        return reject(
          "UNKNOWN_COMBATANT",
          `No combatant ${JSON.stringify(id ?? name)} in the initiative order`,
          404,
        );
      }
      current = found;
    }
    return { ok: true, combat: { ...combat, current_turn: current, round: round ?? combat.round }, turn: null, started };
  }

  // Outside combat a turn is a free "spotlight": whoever the DM names, no order to index.
  if (index !== undefined) return reject("BAD_TURN", "current_turn needs an active combat", 400);
  const before = state.turn;
  const named = id !== undefined || name !== undefined;
  return {
    ok: true,
    combat: prev,
    turn: {
      current_character_id: named ? (id ?? null) : (before?.current_character_id ?? null),
      current_character_name: named ? (name ?? null) : (before?.current_character_name ?? null),
      round: round ?? before?.round ?? 1,
    },
    started: false,
  };
}

/** By id or character id first; a name matches exactly, then ignoring case. */
function findCombatant(list: readonly Combatant[], id: string | undefined, name: string | undefined): number {
  if (id !== undefined) {
    const byId = list.findIndex((c) => c.id === id || c.character_id === id);
    if (byId >= 0 || name === undefined) return byId;
  }
  if (name === undefined) return -1;
  const exact = list.findIndex((c) => c.name === name);
  if (exact >= 0) return exact;
  const lower = name.toLowerCase();
  return list.findIndex((c) => c.name.toLowerCase() === lower);
}

/** The present turn: derived from combat while one runs, else the free turn (if any). */
export function turnView(state: Pick<TabletopState, "combat" | "turn">): TurnView {
  const { combat, turn } = state;
  if (combat.active) {
    const c = combat.participants[combat.current_turn];
    return {
      current_character_id: c ? (c.character_id ?? c.id) : null,
      current_character_name: c ? c.name : null,
      current_user_id: c?.user_id ?? null,
      current_turn: combat.current_turn,
      round: combat.round,
      initiative_order: combat.participants,
    };
  }
  return {
    current_character_id: turn?.current_character_id ?? null,
    current_character_name: turn?.current_character_name ?? null,
    current_user_id: null,
    current_turn: null,
    round: turn?.round ?? 0,
    initiative_order: [],
  };
}
