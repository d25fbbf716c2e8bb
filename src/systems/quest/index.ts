import { defineSystem } from "../../core/system.ts";
import { typeCodec } from "../../protocol/typeCodec.ts";
import { questKind } from "./questKind.ts";
import { questRoutes } from "./edge/routes.ts";

/** Seed 000: team quests on phones. */
export const questSystem = defineSystem({
  name: "quest",
  kind: questKind,
  codec: typeCodec("quest"),
  routes: questRoutes,
  href: (teamCode) => `/api/runtime/session/${encodeURIComponent(teamCode)}`,
  description: "Team quests (seed 000): team codes, runtime events over HTTP, deltas to every phone of the team.",
});
