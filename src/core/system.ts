import type { Hono } from "hono";
import type { Codec } from "./codec.ts";
import type { AnyKind } from "./kind.ts";

/**
 * One system (quest, tabletop, relay, ...): its rules, the frames its clients
 * speak, and the routes that reach it. A system is a folder under
 * `src/systems/<name>/` that exports one `defineSystem({...})` value; the
 * registry (`src/systems/registry.ts`) lists them. The Room receives the
 * registry through its dependencies and never imports a system.
 */
export interface System {
  /** The kind name stored with each room (room meta `kind`). */
  readonly name: string;
  readonly kind: AnyKind;
  readonly codec: Codec;
  /** The system's HTTP and WebSocket routes, mounted at `/` by the worker. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly routes?: Hono<any>;
  /**
   * HTTP body bounds above the default (64 KiB) for this system's own paths: each `prefix`
   * (e.g. `/api/campaigns`) covers itself and everything below it. Every other route keeps the default.
   */
  readonly bodyLimits?: readonly { prefix: string; maxBytes: number }[];
  /**
   * The system's own route that resolves one of its rooms, from the room's id
   * (`GET /api/rooms` lists it beside each room); null or absent: no such route.
   */
  readonly href?: (roomId: string) => string | null;
  /** A sentence for the README-style listing (`GET /api/systems`, docs). */
  readonly description?: string;
}

/** Identity function that checks a system's shape and keeps its literal types. */
export function defineSystem<const S extends System>(system: S): S {
  if (system.kind.name !== system.name) throw new Error(`system ${system.name}: its kind is named ${system.kind.name}`);
  return system;
}

/** What the Room gets injected: find a system by the kind name stored in a room. */
export interface SystemRegistry {
  get(name: string): System | undefined;
  all(): readonly System[];
}

export function systemRegistry(systems: readonly System[]): SystemRegistry {
  const byName = new Map(systems.map((s) => [s.name, s]));
  if (byName.size !== systems.length) throw new Error("two systems share a name");
  return { get: (name) => byName.get(name), all: () => systems };
}
