import { defineSystem, typeCodec } from "@hearth/server";
import { pollKind } from "./pollKind.ts";
import { pollRoutes } from "./routes.ts";

/** The poll system: its kind (rules), its wire format (`{type, ...}` frames) and its routes. */
export const pollSystem = defineSystem({
  name: "poll",
  kind: pollKind,
  codec: typeCodec(),
  routes: pollRoutes,
  href: (pollId) => `/api/polls/${encodeURIComponent(pollId)}`,
  description: "Polls: a question, a few options, one vote per user, live tallies.",
});
