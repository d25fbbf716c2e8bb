import type { RoomRpc } from "../room/rpc.ts";
import type { Env } from "./env.ts";

export type { RoomRpc };

/**
 * The one Durable Object for a room. Systems prefix their ids (`quest:7TCJEM`,
 * `tabletop:<uuid>`) so ids from different surfaces can never meet in one object.
 */
export const roomStub = (env: Env, name: string): RoomRpc => env.ROOMS.get(env.ROOMS.idFromName(name)) as unknown as RoomRpc;

/** Hearth's own room ids: short, URL-safe, and without `:` (reserved for system prefixes). */
export const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;
