import type { Env } from "../src/http/env.ts";
import { roomTokenCheck } from "../src/http/auth/roomTokenCheck.ts";
import { systemRegistry } from "../src/core/system.ts";
import { roomObject } from "../src/room/RoomObject.ts";
import { fixtureSystem } from "../src/room/testing/fixtureKind.ts";
import { registry } from "../src/systems/registry.ts";
import { createApp } from "../src/worker/app.ts";
import { recordingDataset } from "./helpers/recordedPoints.ts";

/**
 * The Worker as the tests run it: Hearth's own app and systems, plus the
 * core's fixture system (src/room/testing/fixtureKind.ts), and a recording
 * stand-in for the Analytics Engine binding. The fixture has no routes: tests
 * reach it over RPC, which is how objects reach each other too.
 */
export const RoomObject = roomObject(systemRegistry([...registry.all(), fixtureSystem]), (env) => {
  const e = env as Env;
  return { rooms: e.ROOMS, directory: e.DIRECTORY, metrics: recordingDataset, verifyToken: roomTokenCheck(e) };
});
export default createApp();
