import { roomTokenCheck } from "../http/auth/roomTokenCheck.ts";
import { roomObject } from "../room/RoomObject.ts";
import { registry } from "../systems/registry.ts";
import { createApp } from "./app.ts";
import type { Env } from "../http/env.ts";

/** The Durable Object class of every room, running the registry's systems. */
export const RoomObject = roomObject(registry, (env) => {
  const e = env as Env;
  return { rooms: e.ROOMS, directory: e.DIRECTORY, ...(e.METRICS ? { metrics: e.METRICS } : {}), verifyToken: roomTokenCheck(e) };
});
export default createApp();
