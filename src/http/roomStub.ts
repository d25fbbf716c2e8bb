import type { RoomRpc } from "../room/rpc.ts";
import type { Env } from "./env.ts";

export type { RoomRpc };

/**
 * The one Durable Object for a room, by its object name (`objectName` in src/core/objectName.ts:
 * `quest:7TCJEM`, `tabletop:<uuid>`), so ids from different surfaces can never meet in one object.
 */
export const roomStub = (env: Env, name: string): RoomRpc => env.ROOMS.get(env.ROOMS.idFromName(name)) as unknown as RoomRpc;

/** Room ids are the core's (object names are built from them); re-exported for the edge. */
export { ROOM_ID } from "../core/objectName.ts";
