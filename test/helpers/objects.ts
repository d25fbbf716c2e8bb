import { env } from "cloudflare:test";
import type { Actor } from "../../src/core/kind.ts";
import type { RoomRpc } from "../../src/room/rpc.ts";

/** A room object by name, typed with the one RPC surface (src/room/rpc.ts). */
export const objectNamed = (name: string) => env.ROOMS.get(env.ROOMS.idFromName(name)) as unknown as RoomRpc & DurableObjectStub;

export const service: Actor = { userId: "svc", name: "svc", role: "admin", service: true, scopes: ["rooms:admin"] };

/** Creates a fixture room (the core's test kind) under a fresh name. */
export async function fixtureRoom(prefix: string, config: Record<string, unknown> = {}) {
  const name = `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
  const created = await objectNamed(name).create({ roomId: name, name, kind: "fixture", config, createdBy: "test" });
  if (!created.ok) throw new Error(`create failed: ${created.code}`);
  return name;
}

/** Polls `check` until it passes (real alarms and background deliveries take real time). */
export async function eventually<T>(check: () => Promise<T>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
