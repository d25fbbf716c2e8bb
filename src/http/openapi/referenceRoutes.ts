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
      (c) => c.json((doc ??= openApiDocument(routes(), { ...info, description: "Realtime rooms on Cloudflare Workers. Errors are `{error: {code, message, details?}}` with stable codes; socket frames and close codes are in docs/protocol.md." }))),
    )
    .get(
      "/docs",
      describeRoute({
        summary: "This reference, as a page",
        tags: ["reference"],
        responses: { 200: { description: "HTML that renders /openapi.json (Scalar, served from this Worker's assets)", contentType: "text/html", schema: z.string() } },
      }),
      Scalar({ url: "/openapi.json", cdn: SCALAR_SCRIPT, pageTitle: `${info.title} API reference`, withDefaultFonts: false }),
    );
}
