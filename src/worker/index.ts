import { roomObject } from "../room/RoomObject.ts";
import { registry } from "../systems/registry.ts";
import { createApp } from "./app.ts";
import type { Env } from "../http/env.ts";

/** The Durable Object class of every room, running the registry's systems. */
export const RoomObject = roomObject(
  registry,
  (env) => (env as Env).ROOMS,
  (env) => (env as Env).DIRECTORY,
);
export default createApp();
