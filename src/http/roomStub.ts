import { hostObjectOf } from "../core/objectName.ts";
import type { RoomRpc } from "../room/rpc.ts";
import type { Env } from "./env.ts";

export type { RoomRpc };

/**
 * The one Durable Object for a room, by its object name (`objectName` in src/core/objectName.ts:
 * `quest:7TCJEM`, `tabletop:<uuid>`), so ids from different surfaces can never meet in one object.
 */
export const roomStub = (env: Env, name: string): RoomRpc => env.ROOMS.get(env.ROOMS.idFromName(name)) as unknown as RoomRpc;

/** What the worker reads of a room (snapshots, history, the inspector). */
export type ReadableRoom = Pick<RoomRpc, "snapshot" | "history" | "stateAt" | "inspectLog" | "connections" | "metrics">;

/**
 * Any room by name, for reading: a room of its own, or one hosted in a gateway object ([S8],
 * `<object>/<room>`: that object's reads, naming the room).
 */
export const readableRoom = (env: Env, name: string): ReadableRoom => {
  const object = hostObjectOf(name);
  const stub = roomStub(env, object);
  if (object === name) return stub;
  return {
    snapshot: (actor, kind) => stub.snapshot(actor, kind, name),
    history: (actor, before, limit, kind) => stub.history(actor, before, limit, kind, name),
    stateAt: (viewer, at) => stub.stateAt(viewer, at, name),
    inspectLog: (before, limit) => stub.inspectLog(before, limit, name),
    connections: () => stub.connections(name),
    metrics: (kind) => stub.metrics(kind, name),
  };
};

/** Room ids are the core's (object names are built from them); re-exported for the edge. */
export { ROOM_ID } from "../core/objectName.ts";
