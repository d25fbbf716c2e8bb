import { systemRegistry, type System, type SystemRegistry } from "../core/system.ts";
import { roomTokenCheck } from "../http/auth/roomTokenCheck.ts";
import type { Env } from "../http/env.ts";
import { roomObject, type RoomBindings, type RoomObjectClass } from "../room/RoomObject.ts";
import { createApp, type HearthApp } from "./app.ts";

export interface HearthOptions {
  /** The systems this Worker serves: each brings its kind, codec and routes (defineSystem). */
  systems: readonly System[];
  /**
   * Replaces some of what each room reads from the Worker's env (`ROOMS`, `DIRECTORY`, `METRICS`,
   * the token check): tests hand in a recording metrics sink this way.
   */
  bindings?: (env: Env) => Partial<RoomBindings>;
}

export interface Hearth {
  /** The Worker's fetch handler (a Hono app): `export default hearth.app`. */
  app: HearthApp;
  /** The Durable Object class of every room: `export const RoomObject = hearth.RoomObject` (the name wrangler.toml binds). */
  RoomObject: RoomObjectClass;
  registry: SystemRegistry;
}

/**
 * One Hearth server for a set of systems: the Worker app that mounts their routes and the
 * Durable Object class that runs their rooms, built from the same registry so the two agree.
 * Hearth's own Worker (src/worker/index.ts) and any other Worker (the `@hearth/server` package,
 * examples/starter) are built this one way.
 *
 * Bindings (docs/add-a-system.md): `ROOMS` (the Durable Object namespace) is required; `DIRECTORY`
 * (D1: the room directory and revocations) and `METRICS` (Analytics Engine) are optional.
 */
export function createHearth(options: HearthOptions): Hearth {
  const registry = systemRegistry(options.systems);
  const RoomObject = roomObject(registry, (raw) => {
    const env = raw as Env;
    return {
      rooms: env.ROOMS,
      ...(env.DIRECTORY ? { directory: env.DIRECTORY } : {}),
      ...(env.METRICS ? { metrics: env.METRICS } : {}),
      verifyToken: roomTokenCheck(env),
      ...options.bindings?.(env),
    };
  });
  return { app: createApp(registry), RoomObject, registry };
}
