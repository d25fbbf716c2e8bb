import { describe, expect, it } from "vitest";
import type { Actor, Applied, ApplyResult } from "../../core/kind.ts";
import { testCtx } from "../../core/testCtx.ts";
import { lobbyKind, type LobbyState } from "./lobbyKind.ts";
import { entryOf, keysOf } from "../../core/keyedRecord.ts";

const PROTO_KEYS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
const actor = (userId: string): Actor => ({ userId, name: `u${userId}`, role: "member", service: false, scopes: [] });
const ctx = (who: string) => testCtx({ actor: actor(who), connId: `c${who}`, roomId: "games:lobby:t", now: 1000 });
const send = (s: LobbyState, who: string, frame: Record<string, unknown>): ApplyResult<LobbyState> => lobbyKind.apply(s, lobbyKind.command.parse(frame), ctx(who));
const ok = (r: ApplyResult<LobbyState>): Applied<LobbyState> => {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
};

describe("the lobby's records see only their own keys (issue 24 item 1)", () => {
  it("[G-PROTO1] a room id that names a prototype key is ROOM_NOT_FOUND, like any unknown id, and forwards nothing", () => {
    const s0 = lobbyKind.init({}, ctx("1"));
    for (const id of PROTO_KEYS) {
      for (const type of ["ready", "bigger_dice.roll", "leave_room", "spectate"]) {
        expect(send(s0, "1", { type, room_id: id })).toMatchObject({ ok: false, code: "ROOM_NOT_FOUND", status: 404 });
      }
    }
  });

  it("[G-PROTO2] a user whose sub is a prototype key can create a game and is seated in it", () => {
    for (const sub of PROTO_KEYS) {
      const r = ok(send(lobbyKind.init({}, ctx(sub)), sub, { type: "create_room", game_type: "bigger_dice", room_name: `Den ${sub}` }));
      const roomId = keysOf(r.state.rooms)[0]!;
      expect(entryOf(r.state.seats, sub)).toBe(roomId);
      // The seat survives storage (JSON) as the user's own key.
      expect(entryOf(JSON.parse(JSON.stringify(r.state.seats)) as Record<string, string>, sub)).toBe(roomId);
    }
  });
});
