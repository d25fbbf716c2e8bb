import harborWalk from "../../examples/quests/harbor-walk.json";
import type { Actor } from "../../src/core/kind.ts";
import { fixtureSystem } from "../../src/room/testing/fixtureKind.ts";
import { RoomHarness, user } from "../../src/room/testing/roomHarness.ts";
import { registry } from "../../src/systems/registry.ts";
import type { Family } from "./hostileFrames.ts";

/** One system as the fuzzers drive it: a config that creates a room, who may connect, what its commands are called. */
export interface FuzzTarget {
  kind: string;
  family: Family;
  config: Record<string, unknown>;
  /** The sender, and a second member who must never see the sender's personal frames. */
  sender: Actor;
  bystander: Actor;
  names: readonly string[];
}

const ann = user("u-ann", { name: "Ann" });
const bob = user("u-bob", { name: "Bob" });

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  { kind: "relay", family: "type", config: {}, sender: ann, bystander: bob, names: ["publish", "whisper", "ping"] },
  {
    kind: "tabletop",
    family: "event",
    config: { campaign_id: "camp", dm_user_id: ann.userId },
    sender: ann,
    bystander: bob,
    names: ["join_room", "leave_room", "chat_message", "dice_roll", "dm_narration", "player_action", "turn_change", "combat_update", "ping", "whisper"],
  },
  {
    kind: "quest",
    family: "type",
    config: { questId: "harbor-walk", definition: harborWalk, mode: "team", players: [{ playerId: ann.userId, playerName: "Ann" }, { playerId: bob.userId, playerName: "Bob" }] },
    sender: ann,
    bystander: bob,
    names: ["OBJECT_ARRIVE", "NODE_COMPLETE", "PUZZLE_SUBMIT", "ACTION_ATTEMPT", "ACTION_RESULT", "BATCH", "REGISTER_PLAYER", "join", "join_session", "player_state_update"],
  },
  { kind: "fixture", family: "type", config: {}, sender: ann, bystander: bob, names: ["inc", "noop", "ping", "whisper", "say", "others", "enter", "exit", "wake_at", "send", "refuse"] },
];

/** A room of `target`'s kind over the memory store, with every real system plus the fixture. */
export function harnessFor(target: FuzzTarget): RoomHarness {
  return new RoomHarness({ systems: [...registry.all(), fixtureSystem] }).create(target.config, "room-1", target.kind);
}

/** A frame's error code, in either family (`{type:"error", code}` or `{event:"error", data:{code}}`). */
export function errorCode(frame: Record<string, unknown>): string | null {
  if (frame.type === "error") return String(frame.code);
  if (frame.event === "error") return String((frame.data as { code?: unknown } | undefined)?.code);
  return null;
}

/** Frames meant for one socket only: a third party holding one is a leak. */
export function isPersonal(frame: Record<string, unknown>): boolean {
  const name = frame.type ?? frame.event;
  return name === "error" || name === "ack" || name === "pong";
}

/** A whisper's addressee, in either family. */
export function whisperTo(frame: Record<string, unknown>): string | null {
  if (frame.type === "whisper") return String(frame.to);
  if (frame.event === "whisper") return String((frame.data as { to_user_id?: unknown; to?: unknown }).to_user_id ?? (frame.data as { to?: unknown }).to);
  return null;
}

/** Error codes are stable SNAKE_CASE names; INTERNAL means something threw. */
export const WELL_FORMED_CODE = /^[A-Z][A-Z0-9_]*$/;
