/** Relay rooms (`/ws/rooms/:name`, src/systems/relay/relayKind.ts). Types only. */
import type { Sequenced } from "./common.js";

/** Client -> server (relayKind's `relayCommand`). */
export type RelayClientFrame =
  | { type: "publish"; topic?: string; data: unknown; id?: string }
  | { type: "whisper"; to: string; data: unknown; id?: string }
  | { type: "ping"; id?: string };

export interface RelayMember {
  id: string;
  name: string;
}

/** The room view in the snapshot: `online` lists at most 100 members, `onlineCount` all. */
export interface RelayView {
  published: number;
  onlineCount: number;
  online: RelayMember[];
}

/** Server -> client. `timestamp` is the room's ms clock. */
export type RelayServerFrame =
  | ({ type: "publish"; topic?: string; data: unknown; from: string; timestamp: number } & Sequenced)
  | ({ type: "whisper"; to: string; data: unknown; from: string; timestamp: number } & Sequenced)
  | { type: "presence.join" | "presence.leave"; user: RelayMember; timestamp: number }
  | { type: "presence.count"; count: number; timestamp: number }
  | { type: "pong"; timestamp: number };
