import { describe, expect, it } from "vitest";
import { reject } from "../../core/kind.ts";
import type { Actor, KindCtx, ApplyResult } from "../../core/kind.ts";
import { NOW, NOW_ISO, NO_FIGHT, NO_TURN, alice, bob, carol, ctx, deepFreeze, dm, face, mallory, ok, scripted, sessionWith } from "./fixtures";
import { apply } from "./rules";
import { tabletopCommand } from "./schema";
import type { Player, TabletopState } from "./state";

/** What the core does with a seed frame: `{event, data}` -> `{type: event, ...data}`, validate, apply. */
function send(state: TabletopState, event: string, data: Record<string, unknown>, c: KindCtx): ApplyResult<TabletopState> {
  const parsed = tabletopCommand.safeParse({ ...data, type: event });
  if (!parsed.success) return reject("BAD_COMMAND", "invalid command", 400, parsed.error.issues);
  return apply(state, parsed.data, c);
}

const player = (a: Actor, extra: Partial<Player> = {}): Player => ({
  user_id: a.userId,
  username: a.name,
  is_dm: a === dm,
  connected_at: NOW_ISO,
  ...extra,
});

const table = () => sessionWith([dm, alice, bob, carol]);
const everyone = [dm, alice, bob, carol];

describe("a DM and three players at the table", () => {
  it("chat reaches the whole room with the sender and time", () => {
    const s = table();
    const r = ok(send(s, "chat_message", { message: "Hello, everyone!" }, ctx(alice)));
    expect(r.state).toBe(s);
    expect(r.emits).toEqual([
      { body: { event: "chat_message", data: { player: player(alice), message: "Hello, everyone!", timestamp: NOW_ISO } } },
    ]);
    expect(r.replies).toBeUndefined();
  });

  it("dice are rolled on the server; the client's result is ignored", () => {
    const s = table();
    const r = ok(
      send(s, "dice_roll", { formula: "1d20+5", result: 25, rolls: [20], modifier: 5 }, ctx(bob, { random: scripted(face(13, 20)) })),
    );
    const rolled = {
      formula: "1d20+5",
      result: 18,
      rolls: [13],
      kept: [13],
      dropped: [],
      modifier: 5,
      terms: [
        { notation: "1d20", sign: 1, count: 1, sides: 20, keep: null, keep_count: 1, rolls: [13], kept: [13], dropped: [], subtotal: 13 },
      ],
    };
    expect(r.state).toBe(s);
    expect(r.emits).toEqual([
      { body: { event: "dice_roll", data: { ...rolled, player: player(bob), timestamp: NOW_ISO, roll: rolled } } },
    ]);
  });

  it("replays a roll exactly from the same random seed", () => {
    const s = table();
    const again = () =>
      ok(send(s, "dice_roll", { formula: "4d6kh3", label: "STR" }, ctx(carol, { random: scripted(0.9, 0.1, 0.5, 0.7) })));
    const first = again();
    expect(first.emits).toEqual(again().emits);
    expect(first.emits[0]?.body).toMatchObject({ data: { rolls: [6, 1, 4, 5], kept: [6, 4, 5], result: 15, label: "STR" } });
  });

  it("a bad formula is BAD_FORMULA and changes nothing", () => {
    const s = table();
    expect(send(s, "dice_roll", { formula: "999d999999" }, ctx(bob))).toEqual({
      ok: false,
      code: "BAD_FORMULA",
      message: "too many dice (999 > 100)",
      status: 400,
    });
  });

  it("player actions nest the action like the seed's PlayerAction", () => {
    const r = ok(send(table(), "player_action", { action_type: "attack", details: { target: "Goblin" } }, ctx(carol)));
    expect(r.emits).toEqual([
      {
        body: {
          event: "player_action",
          data: { player: player(carol), action: { action_type: "attack", details: { target: "Goblin" } }, timestamp: NOW_ISO },
        },
      },
    ]);
    const bare = ok(send(table(), "player_action", { action_type: "dodge" }, ctx(carol)));
    expect(bare.emits[0]?.body).toMatchObject({ data: { action: { action_type: "dodge", details: null } } });
  });

  it("the DM narrates to the room", () => {
    const r = ok(send(table(), "dm_narration", { narration: "You enter a dark cave..." }, ctx(dm)));
    expect(r.emits).toEqual([
      { body: { event: "dm_narration", data: { narration: "You enter a dark cave...", timestamp: NOW_ISO, player: player(dm) } } },
    ]);
  });

  it("ping gets a personal pong: unchanged state, nothing broadcast", () => {
    const s = table();
    const r = ok(send(s, "ping", { timestamp: 1705312800123 }, ctx(alice)));
    expect(r.state).toBe(s);
    expect(r.emits).toEqual([]);
    expect(r.replies).toEqual([{ event: "pong", data: { timestamp: 1705312800123, server_time: NOW_ISO } }]);
    expect(ok(send(s, "ping", {}, ctx(alice))).replies).toEqual([
      { event: "pong", data: { timestamp: null, server_time: NOW_ISO } },
    ]);
  });
});

describe("DM-only events", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["dm_narration", { narration: "I am the DM now" }, "Only DM can send narration"],
    ["turn_change", { turn: "next" }, "Only DM can change turns"],
    ["combat_update", { combat: { active: true } }, "Only DM can update combat"],
  ];
  for (const [event, data, message] of cases) {
    it(`${event} from a player is refused with "${message}"`, () => {
      const s = table();
      expect(send(s, event, data, ctx(alice))).toEqual({ ok: false, code: "DM_ONLY", message, status: 403 });
    });
  }

  it("the role check comes before the room check, so the seed's message always wins", () => {
    const s = sessionWith([dm]);
    expect(send(s, "dm_narration", { narration: "x" }, ctx(mallory))).toMatchObject({
      code: "DM_ONLY",
      message: "Only DM can send narration",
    });
  });

  it("a token role of dm does not make someone the DM", () => {
    const pretender: Actor = { ...alice, role: "dm" };
    expect(send(table(), "dm_narration", { narration: "x" }, ctx(pretender))).toMatchObject({ code: "DM_ONLY" });
  });
});

describe("whispers", () => {
  it("reach only the target and the sender", () => {
    const r = ok(send(table(), "whisper", { to_user_id: bob.userId, message: "cover me" }, ctx(alice, { online: everyone })));
    expect(r.emits).toEqual([
      {
        body: {
          event: "whisper",
          data: {
            player: player(alice),
            from_user_id: alice.userId,
            to_user_id: bob.userId,
            message: "cover me",
            timestamp: NOW_ISO,
            recipient_online: true,
          },
        },
        to: [bob.userId, alice.userId],
      },
    ]);
  });

  it("to an unknown user is refused", () => {
    expect(send(table(), "whisper", { to_user_id: "u-zed", message: "hi" }, ctx(alice))).toEqual({
      ok: false,
      code: "UNKNOWN_RECIPIENT",
      message: 'No player "u-zed" in this session',
      status: 404,
    });
  });

  it("to oneself is refused", () => {
    expect(send(table(), "whisper", { to_user_id: alice.userId, message: "hi" }, ctx(alice))).toMatchObject({
      code: "WHISPER_TO_SELF",
      message: "You cannot whisper to yourself",
    });
  });

  it("to an invited player who is offline is kept for their next join", () => {
    const s = sessionWith([dm, alice], { campaign_id: "c", dm_user_id: dm.userId, players: [alice.userId, carol.userId] });
    const r = ok(send(s, "whisper", { to_user_id: carol.userId, message: "later" }, ctx(alice)));
    expect(r.emits[0]).toMatchObject({ to: [carol.userId, alice.userId], body: { data: { recipient_online: false } } });
  });

  it("to the DM works even when the DM is away", () => {
    const s = sessionWith([alice]);
    const r = ok(send(s, "whisper", { to_user_id: dm.userId, message: "I steal the gem" }, ctx(alice)));
    expect(r.emits[0]?.to).toEqual([dm.userId, alice.userId]);
  });
});

describe("a combat round with initiative and turn changes", () => {
  const thorn = { id: "c-1", name: "Thorn", initiative: 15, user_id: alice.userId, character_id: "c-1" };
  const goblin = { id: "Goblin", name: "Goblin", initiative: 19, initiative_roll: 17, initiative_modifier: 2, is_npc: true };
  const wisp = { id: "Wisp", name: "Wisp", initiative: 12, initiative_modifier: 3, user_id: bob.userId };

  const start = () => {
    const r = ok(
      send(
        table(),
        "combat_update",
        {
          combat: {
            active: true,
            participants: [
              { name: "Thorn", user_id: alice.userId, character_id: "c-1", initiative: 15 },
              { name: "Goblin", initiative_modifier: 2, is_npc: true },
              { name: "Wisp", user_id: bob.userId, initiative: 12, initiative_modifier: 3 },
            ],
          },
        },
        ctx(dm, { random: scripted(face(17, 20)) }),
      ),
    );
    return { r, s: deepFreeze(r.state) };
  };
  const turn = (s: TabletopState, t: unknown) => ok(send(s, "turn_change", { turn: t }, ctx(dm)));

  it("starting combat rolls missing initiative, sorts the order and announces combat and turn", () => {
    const { r } = start();
    const combat = { active: true, round: 1, current_turn: 0, participants: [goblin, thorn, wisp] };
    expect(r.state.combat).toEqual(combat);
    expect(r.emits).toEqual([
      { body: { event: "combat_update", data: { combat, timestamp: NOW_ISO } } },
      {
        body: {
          event: "turn_change",
          data: {
            turn: {
              current_character_id: "Goblin",
              current_character_name: "Goblin",
              current_user_id: null,
              current_turn: 0,
              round: 1,
              initiative_order: [goblin, thorn, wisp],
            },
            timestamp: NOW_ISO,
          },
        },
      },
    ]);
  });

  it("next walks the order and wraps into the next round; previous walks back", () => {
    let { s } = start();
    const seen: [string | null, number][] = [];
    for (let i = 0; i < 3; i++) {
      const r = turn(s, "next");
      expect(r.emits).toHaveLength(1);
      expect(r.emits[0]?.body.event).toBe("turn_change");
      s = deepFreeze(r.state);
      seen.push([s.combat.participants[s.combat.current_turn]?.name ?? null, s.combat.round]);
    }
    expect(seen).toEqual([
      ["Thorn", 1],
      ["Wisp", 1],
      ["Goblin", 2],
    ]);
    const back = turn(s, "previous");
    expect(back.state.combat).toMatchObject({ current_turn: 2, round: 1 });
    expect(back.emits[0]?.body).toMatchObject({
      data: { turn: { current_character_name: "Wisp", current_user_id: bob.userId, current_turn: 2, round: 1 } },
    });
  });

  it("the DM can hand the turn to a named combatant, case-insensitively", () => {
    const { s } = start();
    const r = turn(s, { current_character_name: "thorn" });
    expect(r.state.combat.current_turn).toBe(1);
    expect(r.emits[0]?.body).toMatchObject({
      data: { turn: { current_character_id: "c-1", current_character_name: "Thorn", current_user_id: alice.userId } },
    });
    expect(send(s, "turn_change", { turn: { current_character_name: "Dragon" } }, ctx(dm))).toEqual({
      ok: false,
      code: "UNKNOWN_COMBATANT",
      message: 'No combatant "Dragon" in the initiative order',
      status: 404,
    });
  });

  it("an HP update keeps the turn with whoever had it", () => {
    let { s } = start();
    s = deepFreeze(turn(s, "next").state); // Thorn
    const r = ok(
      send(
        s,
        "combat_update",
        { combat: { participants: [{ ...thorn, hp: 3, max_hp: 12 }, goblin, wisp] } },
        ctx(dm),
      ),
    );
    expect(r.state.combat.current_turn).toBe(1);
    expect(r.state.combat.participants[1]).toMatchObject({ name: "Thorn", hp: 3, max_hp: 12 });
    expect(r.emits.map((e) => e.body.event)).toEqual(["combat_update"]);
  });

  it("ending combat clears it and says so in both events", () => {
    const { s } = start();
    const r = ok(send(s, "combat_update", { combat: { active: false } }, ctx(dm)));
    expect(r.state.combat).toEqual(NO_FIGHT);
    expect(r.emits.map((e) => e.body)).toEqual([
      { event: "combat_update", data: { combat: NO_FIGHT, timestamp: NOW_ISO } },
      {
        event: "turn_change",
        data: {
          turn: NO_TURN,
          timestamp: NOW_ISO,
        },
      },
    ]);
  });

  it("next without a fight is NO_COMBAT", () => {
    expect(send(table(), "turn_change", { turn: "next" }, ctx(dm))).toEqual({
      ok: false,
      code: "NO_COMBAT",
      message: "No active combat with combatants; start one with combat_update",
      status: 409,
    });
  });
});

describe("joining and leaving with the socket open", () => {
  it("join_room when already in the room re-sends room_joined and player_list only", () => {
    const s = table();
    const r = ok(send(s, "join_room", {}, ctx(alice)));
    expect(r.state).toBe(s);
    expect(r.emits).toEqual([]);
    const players = [player(dm), player(alice), player(bob), player(carol)];
    expect(r.replies).toEqual([
      {
        event: "room_joined",
        data: {
          session_id: "session-42",
          campaign_id: "camp-7",
          player: player(alice),
          players,
          combat: NO_FIGHT,
          turn: NO_TURN,
        },
      },
      { event: "player_list", data: { players, total_players: 4 } },
    ]);
  });

  it("leave_room leaves the player list; room commands then need join_room", () => {
    const s = table();
    const left = ok(send(s, "leave_room", {}, ctx(alice)));
    expect(left.state.players.map((p) => p.user_id)).toEqual([dm.userId, bob.userId, carol.userId]);
    expect(left.emits).toEqual([
      { body: { event: "player_left", data: { player: player(alice), total_players: 3 } }, skipOrigin: true },
    ]);
    expect(left.replies).toEqual([{ event: "room_left", data: { session_id: "session-42" } }]);

    const away = deepFreeze(left.state);
    expect(send(away, "chat_message", { message: "hello?" }, ctx(alice))).toEqual({
      ok: false,
      code: "NOT_IN_ROOM",
      message: "Join the room first (send join_room)",
      status: 409,
    });
    // Leaving twice is harmless.
    const again = ok(send(away, "leave_room", {}, ctx(alice)));
    expect(again.state).toBe(away);
    expect(again.emits).toEqual([]);

    const later = NOW + 60_000;
    const back = ok(send(away, "join_room", { character_id: "c-9", character_name: "Thorn" }, ctx(alice, { now: later })));
    const rejoined = player(alice, { character_id: "c-9", character_name: "Thorn", connected_at: "2024-01-15T10:01:00.000Z" });
    expect(back.state.players.at(-1)).toEqual(rejoined);
    expect(back.emits).toEqual([
      { body: { event: "player_joined", data: { player: rejoined, total_players: 4 } }, skipOrigin: true },
    ]);
    expect(back.replies?.map((f) => f.event)).toEqual(["room_joined", "player_list"]);
  });
});

describe("bad frames are rejected with stable codes and leave state unchanged", () => {
  const frames: [string, Record<string, unknown>, string][] = [
    ["chat_message", { message: 42 }, "BAD_COMMAND"],
    ["chat_message", { message: "x".repeat(1024 * 1024) }, "BAD_COMMAND"],
    ["dice_roll", {}, "BAD_COMMAND"],
    ["dice_roll", { formula: "999d999999" }, "BAD_FORMULA"],
    ["turn_change", { turn: 3 }, "BAD_COMMAND"],
    ["teleport", { to: "moon" }, "BAD_COMMAND"],
    ["whisper", { to_user_id: "u-bob" }, "BAD_COMMAND"],
  ];
  for (const [event, data, code] of frames) {
    it(`${event} ${JSON.stringify(data).slice(0, 40)} -> ${code}`, () => {
      const s = table();
      const before = JSON.stringify(s);
      const r = send(s, event, data, ctx(bob));
      expect(r.ok).toBe(false);
      expect(r.ok ? null : r.code).toBe(code);
      expect(JSON.stringify(s)).toBe(before);
    });
  }
});
