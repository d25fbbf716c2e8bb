import { defineSystem } from "../../core/system.ts";
import { typeCodec } from "../../protocol/typeCodec.ts";
import { relayKind } from "./relayKind.ts";
import { relayRoutes } from "./edge/routes.ts";

/** Hearth's generic rooms: publish, whisper, presence. `/api/rooms`, `/ws/rooms/:id`. */
export const relaySystem = defineSystem({
  name: "relay",
  kind: relayKind,
  codec: typeCodec(),
  routes: relayRoutes,
  href: (id) => `/api/rooms/${encodeURIComponent(id)}`,
  description: "Generic rooms: members publish JSON events to every peer, whisper, and see who is here.",
});
