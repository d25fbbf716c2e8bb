import { registry } from "../systems/registry.ts";
import { createHearth } from "./createHearth.ts";

/** Hearth's own Worker: its systems (registry.ts), built the one way any Worker is (createHearth.ts). */
const hearth = createHearth({ systems: registry.all() });

/** The Durable Object class of every room, running the registry's systems. */
export const RoomObject = hearth.RoomObject;
export default hearth.app;
