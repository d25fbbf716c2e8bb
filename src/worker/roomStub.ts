import type { Actor } from "../kinds/kind.ts";
import type { CreateRoom, HistoryPage, Outcome, RoomSnapshot, SubmitOptions } from "../room/Room.ts";
import type { RoomError } from "../room/roomError.ts";
import type { Env } from "./env.ts";

/**
 * The room's RPC surface as the Worker uses it. Declared here because the
 * generated stub types turn `unknown` fields into `never`; the values are
 * plain JSON either way.
 */
export interface RoomRpc {
  fetch(request: Request): Promise<Response>;
  create(init: CreateRoom): Promise<{ ok: true; roomId: string; kind: string; epoch: string } | RoomError>;
  submit(actor: Actor, command: unknown, opts?: SubmitOptions): Promise<Outcome>;
  snapshot(actor: Actor, kind?: string): Promise<RoomSnapshot | RoomError>;
  history(actor: Actor, before: number | undefined, limit: number, kind?: string): Promise<HistoryPage | RoomError>;
  reset(actor: Actor): Promise<{ ok: true; epoch: string } | RoomError>;
}

/**
 * The one Durable Object for a room. Systems prefix their ids (`quest:7TCJEM`,
 * `tabletop:<uuid>`) so ids from different surfaces can never meet in one object.
 */
export const roomStub = (env: Env, name: string): RoomRpc => env.ROOMS.get(env.ROOMS.idFromName(name)) as unknown as RoomRpc;

/** Hearth's own room ids: short, URL-safe, and without `:` (reserved for system prefixes). */
export const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;
