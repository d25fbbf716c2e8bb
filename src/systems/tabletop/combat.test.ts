import { describe, expect, it } from "vitest";
import { changeTurn, turnView, updateCombat } from "./combat";
import { NO_FIGHT, deepFreeze, face, newSession, noRandom, scripted } from "./fixtures";
import type { Rejection } from "../../core/kind.ts";
import type { CombatState, TabletopState } from "./state";

const withCombat = (combat: CombatState, turn: TabletopState["turn"] = null): TabletopState =>
  deepFreeze({ ...newSession(), combat, turn });

const fight = (current_turn = 0, round = 1): TabletopState =>
  withCombat({
    active: true,
    round,
    current_turn,
    participants: [
      { id: "a", name: "Ash", initiative: 18 },
      { id: "b", name: "Bree", initiative: 12 },
      { id: "c", name: "Cole", initiative: 5 },
    ],
  });

const rejected = (r: { ok: boolean }): Rejection => {
  if (r.ok) throw new Error("expected a rejection");
  return r as Rejection;
};

describe("updateCombat", () => {
  it("stages participants before combat without starting it", () => {
    const r = updateCombat(newSession(), { participants: [{ name: "Orc", initiative: 7 }] }, noRandom);
    expect(r).toEqual({
      ok: true,
      combat: { active: false, round: 0, current_turn: 0, participants: [{ id: "Orc", name: "Orc", initiative: 7 }] },
      turn: null,
      started: false,
    });
  });

  it("breaks initiative ties by modifier, then by the DM's listing order", () => {
    const r = updateCombat(
      newSession(),
      {
        active: true,
        participants: [
          { name: "First", initiative: 10 },
          { name: "Quick", initiative: 10, initiative_modifier: 4 },
          { name: "Second", initiative: 10 },
          { name: "Rolled", initiative_modifier: -1 },
        ],
      },
      scripted(face(20, 20)),
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.combat.participants.map((c) => `${c.name}:${c.initiative}`)).toEqual([
      "Rolled:19",
      "Quick:10",
      "First:10",
      "Second:10",
    ]);
  });

  it("refuses two combatants with the same id", () => {
    const r = rejected(updateCombat(newSession(), { participants: [{ name: "Goblin" }, { name: "Goblin" }] }, scripted(0.1, 0.2)));
    expect(r).toEqual({
      ok: false,
      code: "DUPLICATE_COMBATANT",
      message: 'Two combatants share the id "Goblin"; give them distinct ids or names',
      status: 400,
    });
  });

  it("when the current combatant is removed, whoever takes the slot acts", () => {
    const r = updateCombat(
      fight(1),
      { participants: [{ id: "a", name: "Ash", initiative: 18 }, { id: "c", name: "Cole", initiative: 5 }] },
      noRandom,
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.combat.current_turn).toBe(1);
    expect(r.combat.participants[1]?.name).toBe("Cole");
  });

  it("checks current_turn against the order", () => {
    expect(rejected(updateCombat(fight(), { current_turn: 3 }, noRandom))).toEqual({
      ok: false,
      code: "BAD_TURN",
      message: "current_turn 3 is out of range (3 combatants)",
      status: 400,
    });
  });

  it("needs an active combat for round and current_turn", () => {
    expect(rejected(updateCombat(newSession(), { round: 2 }, noRandom)).code).toBe("BAD_COMBAT");
  });

  it("refuses an empty update", () => {
    expect(rejected(updateCombat(fight(), {}, noRandom))).toMatchObject({
      code: "BAD_COMBAT",
      message: "combat_update needs at least one of active, participants, current_turn, round",
    });
  });

  it("starting a fight clears a free turn", () => {
    const s = withCombat(
      NO_FIGHT,
      { current_character_id: null, current_character_name: "Mira", round: 3 },
    );
    const r = updateCombat(s, { active: true, participants: [{ name: "Orc", initiative: 3 }] }, noRandom);
    expect(r).toMatchObject({ ok: true, turn: null, started: true, combat: { active: true, round: 1, current_turn: 0 } });
  });
});

describe("changeTurn", () => {
  it("previous at the very first turn is refused", () => {
    expect(rejected(changeTurn(fight(0, 1), "previous"))).toEqual({
      ok: false,
      code: "BAD_TURN",
      message: "Already at the first turn of round 1",
      status: 400,
    });
  });

  it("previous from the first turn of round 2 goes to the last of round 1", () => {
    expect(changeTurn(fight(0, 2), "previous")).toMatchObject({ ok: true, combat: { current_turn: 2, round: 1 } });
  });

  it("sets a turn by index, by id and by round", () => {
    expect(changeTurn(fight(), { current_turn: 2 })).toMatchObject({ combat: { current_turn: 2, round: 1 } });
    expect(changeTurn(fight(), { current_character_id: "b", round: 4 })).toMatchObject({ combat: { current_turn: 1, round: 4 } });
    expect(rejected(changeTurn(fight(), { current_turn: 7 })).message).toBe("current_turn 7 is out of range (3 combatants)");
  });

  it("an initiative_order is taken as given and starts a fight", () => {
    const r = changeTurn(newSession(), {
      initiative_order: [{ name: "Slow", initiative: 2 }, { name: "Fast", initiative: 20 }],
      current_character_name: "Fast",
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.started).toBe(true);
    expect(r.combat).toEqual({
      active: true,
      round: 1,
      current_turn: 1,
      participants: [
        { id: "Slow", name: "Slow", initiative: 2 },
        { id: "Fast", name: "Fast", initiative: 20 },
      ],
    });
  });

  it("outside combat a turn is a free spotlight that keeps the character when only the round changes", () => {
    const first = changeTurn(newSession(), { current_character_name: "Mira", current_character_id: "c-3" });
    if (!first.ok) throw new Error(first.message);
    expect(first.turn).toEqual({ current_character_id: "c-3", current_character_name: "Mira", round: 1 });
    const s = deepFreeze({ ...newSession(), turn: first.turn });
    const second = changeTurn(s, { round: 2 });
    expect(second).toMatchObject({ ok: true, turn: { current_character_id: "c-3", current_character_name: "Mira", round: 2 } });
    expect(turnView({ combat: s.combat, turn: first.turn })).toEqual({
      current_character_id: "c-3",
      current_character_name: "Mira",
      current_user_id: null,
      current_turn: null,
      round: 1,
      initiative_order: [],
    });
    expect(rejected(changeTurn(s, { current_turn: 0 })).message).toBe("current_turn needs an active combat");
  });

  it("refuses a turn that names nothing", () => {
    expect(rejected(changeTurn(fight(), { current_character_id: null })).code).toBe("BAD_TURN");
  });
});
