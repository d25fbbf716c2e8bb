import { systemRegistry } from "../src/core/system.ts";
import { roomObject } from "../src/room/RoomObject.ts";
import { fixtureSystem } from "../src/room/testing/fixtureKind.ts";
import { registry } from "../src/systems/registry.ts";
import { createApp } from "../src/worker/app.ts";

/**
 * The Worker as the tests run it: Hearth's own app and systems, plus the
 * core's fixture system (src/room/testing/fixtureKind.ts). The fixture has no
 * routes: tests reach it over RPC, which is how objects reach each other too.
 */
export const RoomObject = roomObject(systemRegistry([...registry.all(), fixtureSystem]), (env) => (env as { ROOMS: DurableObjectNamespace }).ROOMS,
  (env) => (env as { DIRECTORY: D1Database }).DIRECTORY,
);
export default createApp();
