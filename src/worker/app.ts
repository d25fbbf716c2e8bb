import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { z } from "zod";
import { DEFAULT_LIMITS } from "../room/limits.ts";
import type { Env } from "../http/env.ts";
import { corsFor } from "../http/middleware/corsFor.ts";
import { referenceRoutes } from "../http/openapi/referenceRoutes.ts";
import { describeRoute } from "../http/openapi/routeDocs.ts";
import { httpError } from "../http/middleware/httpError.ts";
import { requestLog } from "../http/middleware/requestLog.ts";
import { bodyLimits } from "./bodyLimits.ts";
import { devRoutes } from "./devRoutes.ts";
import { roomDirectoryRoutes } from "./roomDirectoryRoutes.ts";
import { revocationRoutes } from "./revocationRoutes.ts";
import { objectLoadRoutes } from "./objectLoadRoutes.ts";
import { roomInspectorRoutes } from "./roomInspectorRoutes.ts";
import { requireBindings } from "./requireBindings.ts";
import type { SystemRegistry } from "../core/system.ts";

export type HearthApp = ReturnType<typeof createApp>;

/**
 * The Worker: authenticates, finds the room, passes a verified identity along. It serves the
 * systems it is given (createHearth.ts builds the registry), never a fixed list, so a Worker
 * that is not this repo mounts its own systems and none of Hearth's.
 */
export function createApp(registry: SystemRegistry) {
  const app = new Hono<{ Bindings: Env }>();
  app.use(requestId());
  app.use(requestLog());
  app.use("/api/*", corsFor());
  // After CORS, so a browser can read the refusal too.
  app.use(requireBindings());
  app.use("/api/*", bodyLimits(registry.all(), DEFAULT_LIMITS.maxFrameBytes));
  app.get("/health", describeRoute({ summary: "Liveness", tags: ["reference"], responses: { 200: { description: "Up", schema: z.object({ ok: z.literal(true) }) } } }), (c) => c.json({ ok: true }));
  app.route("/", devRoutes);
  app.route("/", roomDirectoryRoutes(registry));
  app.route("/", roomInspectorRoutes(registry));
  app.route("/", revocationRoutes());
  app.route("/", objectLoadRoutes);
  // Each system brings its own routes: a new system never touches this file.
  for (const s of registry.all()) if (s.routes) app.route("/", s.routes);
  // /openapi.json from every route's describeRoute and the validators and guards it runs; /docs renders it (src/http/openapi).
  app.route("/", referenceRoutes(() => app.routes, { title: "Hearth", version: "0.1.0" }));
  app.notFound((c) => httpError(c, 404, "NOT_FOUND", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`));
  app.onError((err, c) => {
    console.error(JSON.stringify({ level: "error", event: "unhandled", err: String(err), stack: err.stack, requestId: c.get("requestId") }));
    return httpError(c, 500, "INTERNAL", "Something went wrong; nothing was applied.");
  });
  return app;
}
