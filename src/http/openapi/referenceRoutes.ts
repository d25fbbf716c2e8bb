import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import { z } from "zod";
import { openApiDocument, type HonoRoute } from "./openApiDocument.ts";
import { describeRoute } from "./routeDocs.ts";

/**
 * Where the page's renderer comes from: Scalar's standalone browser bundle,
 * copied into the Worker's static assets by scripts/build-demo.mjs (never from
 * a CDN, so `/docs` works offline under `wrangler dev`, and the 3.5 MB bundle
 * never enters the Worker script).
 */
export const SCALAR_SCRIPT = "/build/scalar/standalone.js";

/** The document's groups, in reading order: each system's surface first, operators' tools after. */
const TAGS = [
  { name: "rooms", description: "Hearth's generic rooms (kind `relay`): create, read, publish over HTTP, and the socket." },
  { name: "quest", description: "The quest runtime (seed 000): quest definitions, teams by code, runtime events, the team socket." },
  { name: "tabletop", description: "DM-led tabletop sessions (seed 002): `{event, data}` frames over `/ws/game/:session_id`." },
  { name: "campaign", description: "Campaign sync (seed 001): campaigns a DM loads, updates, deactivates and switches, at the DM's table." },
  { name: "games", description: "The games lobby and rooms (seed 004): one socket to browse, play and watch." },
  { name: "feed", description: "The workflow event feed (seed 003): services publish, every subscriber of every shard gets the event." },
  { name: "admin", description: "Operators (`rooms:admin`): the room directory, one room's state, log and time travel, revocations." },
  { name: "dev", description: "Local development only." },
  { name: "reference", description: "This reference, and liveness." },
];

const openApi = z.looseObject({ openapi: z.literal("3.1.0"), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) });

/**
 * `GET /openapi.json`, built once per isolate from the app's routes (their
 * describeRoute docs and the validators and guards they really run), and
 * `GET /docs`, the reference page rendering it. `routes` is read on the first
 * request, when every route is registered.
 */
export function referenceRoutes(routes: () => readonly HonoRoute[], info: { title: string; version: string }) {
  let doc: unknown;
  return new Hono()
    .get(
      "/openapi.json",
      describeRoute({
        summary: "This API's OpenAPI 3.1 document",
        description: "Every route, the statuses it answers with and their bodies, built from the routes' own declarations and the validators they run.",
        tags: ["reference"],
        responses: { 200: { description: "The document", schema: openApi } },
      }),
      (c) => c.json((doc ??= openApiDocument(routes(), { ...info, description: "Realtime rooms on Cloudflare Workers. Errors are `{error: {code, message, details?}}` with stable codes; socket frames and close codes are in docs/protocol.md." }, TAGS))),
    )
    .get(
      "/docs",
      describeRoute({
        summary: "This reference, as a page",
        tags: ["reference"],
        responses: { 200: { description: "HTML that renders /openapi.json (Scalar, served from this Worker's assets)", contentType: "text/html", schema: z.string() } },
      }),
      // Nothing reaches outside this origin: no fonts host, no AI agent; the models section would only repeat the operations' schemas.
      Scalar({
        url: "/openapi.json",
        cdn: SCALAR_SCRIPT,
        pageTitle: `${info.title} API reference`,
        withDefaultFonts: false,
        hideModels: true,
        showDeveloperTools: "never",
        agent: { disabled: true },
      }),
    );
}
