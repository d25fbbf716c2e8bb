import { defineSystem } from "../../core/system.ts";
import { eventCodec } from "../../protocol/eventCodec.ts";
import { tabletopKind } from "./tabletopKind.ts";
import { tabletopRoutes } from "./edge/routes.ts";

/** Seed 002: DM-led tabletop sessions with server dice. */
export const tabletopSystem = defineSystem({
  name: "tabletop",
  kind: tabletopKind,
  codec: eventCodec("tabletop"),
  routes: tabletopRoutes,
  href: (id) => `/api/sessions/${encodeURIComponent(id)}`,
  description: "Tabletop sessions (seed 002): chat, server-rolled dice, narration, whispers, turns and combat.",
});
