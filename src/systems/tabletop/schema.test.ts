import { describe, expect, it } from "vitest";
import { tabletopCommand, tabletopConfig } from "./schema";

const parse = (raw: unknown) => tabletopCommand.safeParse(raw);
const parsed = (raw: unknown) => {
  const r = parse(raw);
  if (!r.success) throw new Error(JSON.stringify(r.error.issues));
  return r.data;
};
const issuePaths = (raw: unknown) => {
  const r = parse(raw);
  if (r.success) throw new Error("expected a validation error");
  return r.error.issues.map((i) => i.path.join("."));
};

describe("tabletopCommand: every seed event", () => {
  it("accepts each client -> server event of seed 002 plus whisper", () => {
    expect(parsed({ type: "join_room" })).toEqual({ type: "join_room" });
    expect(parsed({ type: "leave_room" })).toEqual({ type: "leave_room" });
    expect(parsed({ type: "chat_message", message: "hi" })).toEqual({ type: "chat_message", message: "hi" });
    expect(parsed({ type: "dice_roll", formula: "1d20+5" })).toEqual({ type: "dice_roll", formula: "1d20+5" });
    expect(parsed({ type: "dm_narration", narration: "A cave." })).toEqual({ type: "dm_narration", narration: "A cave." });
    expect(parsed({ type: "player_action", action_type: "attack", details: { target: "Goblin" } })).toEqual({
      type: "player_action",
      action_type: "attack",
      details: { target: "Goblin" },
    });
    expect(parsed({ type: "turn_change", turn: "next" })).toEqual({ type: "turn_change", turn: "next" });
    expect(parsed({ type: "combat_update", combat: { active: true } })).toEqual({
      type: "combat_update",
      combat: { active: true },
    });
    expect(parsed({ type: "ping", timestamp: 1705312800000 })).toEqual({ type: "ping", timestamp: 1705312800000 });
    expect(parsed({ type: "whisper", to_user_id: "u-bob", message: "psst" })).toEqual({
      type: "whisper",
      to_user_id: "u-bob",
      message: "psst",
    });
  });

  it("strips a client-sent dice result, rolls and modifier (never trusted)", () => {
    expect(parsed({ type: "dice_roll", formula: "1d20", result: 20, rolls: [20], modifier: 99 })).toEqual({
      type: "dice_roll",
      formula: "1d20",
    });
  });

  it("coerces numeric ids from clients written for the seed", () => {
    expect(parsed({ type: "whisper", to_user_id: 123, message: "x" })).toMatchObject({ to_user_id: "123" });
    expect(parsed({ type: "join_room", character_id: 789 })).toEqual({ type: "join_room", character_id: "789" });
  });

  it("wraps a bare turn/combat object, as the seed's own client sends it", () => {
    expect(parsed({ type: "turn_change", current_character_name: "Goblin", round: 2 })).toEqual({
      type: "turn_change",
      turn: { current_character_name: "Goblin", round: 2 },
    });
    expect(parsed({ type: "combat_update", active: true, participants: [{ name: "Orc", initiative: 9 }] })).toEqual({
      type: "combat_update",
      combat: { active: true, participants: [{ name: "Orc", initiative: 9 }] },
    });
  });
});

describe("tabletopCommand: bad frames", () => {
  it("rejects an unknown or missing type", () => {
    expect(issuePaths({ type: "teleport" })).toEqual(["type"]);
    expect(issuePaths({ message: "hi" })).toEqual(["type"]);
    expect(parse("chat_message").success).toBe(false);
    expect(parse(null).success).toBe(false);
  });

  it("rejects wrong field types", () => {
    expect(issuePaths({ type: "chat_message", message: 5 })).toEqual(["message"]);
    expect(issuePaths({ type: "chat_message" })).toEqual(["message"]);
    expect(issuePaths({ type: "dice_roll", formula: ["1d20"] })).toEqual(["formula"]);
    expect(issuePaths({ type: "turn_change", turn: "sideways" })).toEqual(["turn"]);
    expect(issuePaths({ type: "combat_update", combat: { active: "yes" } })).toEqual(["combat.active"]);
    expect(issuePaths({ type: "whisper", to_user_id: "", message: "x" })).toEqual(["to_user_id"]);
  });

  it("bounds chat at 2000 characters, so a 1 MB chat is a validation error", () => {
    expect(parse({ type: "chat_message", message: "a".repeat(2000) }).success).toBe(true);
    expect(issuePaths({ type: "chat_message", message: "a".repeat(2001) })).toEqual(["message"]);
    expect(issuePaths({ type: "chat_message", message: "a".repeat(1024 * 1024) })).toEqual(["message"]);
  });

  it("rejects blank messages", () => {
    expect(issuePaths({ type: "chat_message", message: "   " })).toEqual(["message"]);
    expect(issuePaths({ type: "dm_narration", narration: "" })).toEqual(["narration"]);
  });

  it("bounds narration, whispers, action details and the raw formula", () => {
    expect(issuePaths({ type: "dm_narration", narration: "a".repeat(8001) })).toEqual(["narration"]);
    expect(issuePaths({ type: "whisper", to_user_id: "u", message: "a".repeat(2001) })).toEqual(["message"]);
    expect(issuePaths({ type: "player_action", action_type: "x", details: { blob: "a".repeat(4000) } })).toEqual([
      "details",
    ]);
    expect(issuePaths({ type: "player_action", action_type: "a".repeat(65) })).toEqual(["action_type"]);
    expect(issuePaths({ type: "dice_roll", formula: "1".repeat(1001) })).toEqual(["formula"]);
  });

  it("bounds the combatant list", () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ name: `g${i}`, initiative: 1 }));
    expect(issuePaths({ type: "combat_update", combat: { participants: many } })).toEqual(["combat.participants"]);
  });
});

describe("tabletopConfig", () => {
  it("accepts the session creation body", () => {
    expect(
      tabletopConfig.parse({ campaign_id: 7, dm_user_id: 5, players: ["a", 6], created_at: "2024-01-15T10:00:00Z" }),
    ).toEqual({ campaign_id: 7, dm_user_id: "5", players: ["a", "6"], created_at: "2024-01-15T10:00:00Z" });
    expect(tabletopConfig.parse({ campaign_id: "c", dm_user_id: "dm" })).toEqual({ campaign_id: "c", dm_user_id: "dm" });
  });

  it("requires campaign and DM", () => {
    const r = tabletopConfig.safeParse({ players: [] });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["campaign_id", "dm_user_id"]);
  });

  it("rejects a malformed created_at", () => {
    expect(tabletopConfig.safeParse({ campaign_id: "c", dm_user_id: "d", created_at: "yesterday" }).success).toBe(false);
  });
});
