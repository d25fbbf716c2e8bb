import fc from "fast-check";
import { describe, expect, it } from "vitest";
import harborWalk from "../../examples/quests/harbor-walk.json";
import { newRoom } from "../helpers/rooms.ts";
import { api, open, type Frame, type TestSocket } from "../helpers/socket.ts";
import { adminToken, token } from "../helpers/tokens.ts";
import { figuresFor } from "./figures.ts";
import { hostileFrames, type Family } from "./hostileFrames.ts";
import { errorCode, isPersonal, whisperTo } from "./roomsUnderFuzz.ts";
import { runs } from "./scale.ts";

const uid = (p: string) => `${p}-${crypto.randomUUID().slice(0, 8)}`;

interface LiveRoom {
  name: string;
  family: Family;
  names: string[];
  /** Opens a member's socket, welcome frames read. */
  join(sub: string): Promise<TestSocket>;
  /** Reads the room over HTTP: must answer 200 after the fuzz. */
  read(): Promise<number>;
  /** A frame every socket of this room answers with exactly one personal frame: the end of a batch. */
  marker: string;
}

async function relayRoom(): Promise<LiveRoom> {
  const roomId = await newRoom();
  return {
    name: "relay",
    family: "type",
    names: ["publish", "whisper", "ping"],
    join: async (sub) => {
      const s = await open(`/ws/rooms/${roomId}?token=${await token({ sub })}`);
      await s.next();
      return s;
    },
    read: async () => (await api("GET", `/api/rooms/${roomId}/history`, await adminToken())).status,
    marker: JSON.stringify({ type: "ping" }),
  };
}

async function tabletopRoom(): Promise<LiveRoom> {
  const dm = uid("dm");
  const sessionId = (await api("POST", "/api/sessions", await adminToken(), { campaign_id: 9, dm_user_id: dm })).json.session_id as string;
  return {
    name: "tabletop",
    family: "event",
    names: ["join_room", "leave_room", "chat_message", "dice_roll", "dm_narration", "player_action", "turn_change", "combat_update", "ping", "whisper"],
    join: async (sub) => {
      const s = await open(`/ws/game/${sessionId}?token=${await token({ sub })}`);
      await s.nextMatching((f) => f.event === "history");
      return s;
    },
    read: async () => (await api("GET", `/api/sessions/${sessionId}/history`, await adminToken())).status,
    marker: JSON.stringify({ event: "ping", data: {} }),
  };
}

async function questRoom(): Promise<LiveRoom> {
  expect((await api("PUT", "/api/quests/harbor-walk", await adminToken(), harborWalk)).status).toBe(200);
  const lead = uid("lead");
  const teamCode = (await api("POST", "/api/teams", await token({ sub: lead }), { questId: "harbor-walk", playerName: "Lead", mode: "team" })).json.teamCode as string;
  return {
    name: "quest",
    family: "type",
    names: ["OBJECT_ARRIVE", "NODE_COMPLETE", "PUZZLE_SUBMIT", "ACTION_ATTEMPT", "ACTION_RESULT", "BATCH", "REGISTER_PLAYER", "join", "join_session", "player_state_update"],
    join: async (sub) => {
      const t = await token({ sub });
      if (sub !== lead) expect((await api("POST", `/api/teams/${teamCode}/join`, t, { playerName: sub })).status).toBe(200);
      const s = await open(`/ws/quest?teamCode=${teamCode}&token=${t}`);
      await s.next();
      return s;
    },
    read: async () => (await api("GET", `/api/runtime/session/${teamCode}`, await adminToken())).status,
    // Not JSON: always one BAD_JSON error back.
    marker: "end-of-batch",
  };
}

/** The marker's answer; under load the marker itself may be over budget, which is an answer too. */
const isMarkerReply = (f: Frame) => f.type === "pong" || f.event === "pong" || errorCode(f) === "BAD_JSON" || errorCode(f) === "RATE_LIMITED";

/**
 * Real sockets into real rooms in workerd: hostile frames never crash a room
 * (no INTERNAL, the room still answers HTTP), never hang it (each batch ends
 * with a marker that is answered), and nothing reaches a socket of another
 * room or a third party's personal frames.
 */
describe("rooms in workerd under hostile frames", () => {
  it("[FUZZ] relay, tabletop and quest rooms: no crash, no hang, no leak between rooms or to bystanders", async (ctx) => {
    const figures = figuresFor(ctx);
    const sentinelRoom = await relayRoom();
    const sentinel = await sentinelRoom.join(uid("sentinel"));
    for (const room of [await relayRoom(), await tabletopRoom(), await questRoom()]) {
      const senderId = uid("sender");
      let sender = await room.join(senderId);
      const bystanderId = uid("bystander");
      const bystander = await room.join(bystanderId);
      const frames = fc.sample(hostileFrames(room.family, room.names), { numRuns: runs(30) });
      // Batches stay under the socket budget's burst, so frames reach the pipeline rather than the rate limit.
      for (let i = 0; i < frames.length; i += 10) {
        const start = sender.frames.length;
        try {
          for (const f of frames.slice(i, i + 10)) {
            figures.cases++;
            figures.frames++;
            sender.ws.send(f.data);
          }
          sender.send(room.marker);
          await sender.nextMatching(isMarkerReply, 5_000);
        } catch (err) {
          // Strikes (size or rate) in a row close with 4008, as documented: reconnect and go on.
          const closed = await sender.waitClosed(5_000).catch(() => null);
          if (closed?.code !== 4008) {
            figures.crashes++;
            throw err;
          }
          figures.refused++;
          sender = await room.join(senderId);
          continue;
        }
        // A hostile frame may itself be a ping: the batch's answers are whatever arrived since it began.
        await sender.drain(0);
        for (const f of sender.frames.slice(start)) {
          const code = errorCode(f);
          if (code === "INTERNAL") figures.crashes++;
          else if (code !== null) figures.refused++;
        }
        for (const f of await bystander.drain(0)) {
          const to = whisperTo(f);
          if (isPersonal(f) || (to !== null && to !== bystanderId)) figures.leaks++;
        }
      }
      expect(await room.read(), `${room.name} still answers`).toBe(200);
    }
    figures.leaks += (await sentinel.drain()).length;
    expect({ crashes: figures.crashes, leaks: figures.leaks }).toEqual({ crashes: 0, leaks: 0 });
  }, 120_000);
});
