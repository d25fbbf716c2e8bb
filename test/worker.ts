import { fixtureSystem } from "../src/room/testing/fixtureKind.ts";
import { registry } from "../src/systems/registry.ts";
import { createHearth } from "../src/worker/createHearth.ts";
import { recordingDataset } from "./helpers/recordedPoints.ts";

/**
 * The Worker as the tests run it: Hearth's own app and systems, plus the
 * core's fixture system (src/room/testing/fixtureKind.ts), and a recording
 * stand-in for the Analytics Engine binding. The fixture has no routes: tests
 * reach it over RPC, which is how objects reach each other too.
 */
const hearth = createHearth({ systems: [...registry.all(), fixtureSystem], bindings: () => ({ metrics: recordingDataset }) });
export const RoomObject = hearth.RoomObject;
export default hearth.app;
