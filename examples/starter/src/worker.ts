import { createHearth } from "@hearth/server";
import { pollSystem } from "./poll/index.ts";

/** This Worker's rooms: one system, the poll. Add a system by adding it to this list. */
const hearth = createHearth({ systems: [pollSystem] });

/** The Durable Object class of every room; wrangler.toml binds it as ROOMS. */
export const RoomObject = hearth.RoomObject;
export default hearth.app;
