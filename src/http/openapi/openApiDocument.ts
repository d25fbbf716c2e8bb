import { z } from "zod";
import { docOf, type RouteDoc } from "./routeDocs.ts";

interface HonoRoute {
  method: string;
  path: string;
  handler: object;
}

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
      required: ["code", "message"],
    },
  },
  required: ["error"],
};

const schemaOf = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });

/**
 * OpenAPI 3.1 for the routes of a Hono app, built from the zod schemas its
 * validators (jsonBody, queryParams) run and the auth its guards (requireAuth,
 * roomAccess) check. Served as `/openapi.json`.
 */
export function openApiDocument(routes: readonly HonoRoute[], info: { title: string; version: string }) {
  const byRoute = new Map<string, { method: string; path: string; doc: RouteDoc }>();
  for (const r of routes) {
    if (r.method === "ALL" || r.path.includes("*")) continue;
    const key = `${r.method} ${r.path}`;
    const entry = byRoute.get(key) ?? { method: r.method, path: r.path, doc: {} };
    entry.doc = { ...entry.doc, ...docOf(r.handler) };
    byRoute.set(key, entry);
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, doc } of byRoute.values()) {
    const params = [...path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);
    const query = doc.query ? (schemaOf(doc.query) as { properties?: Record<string, unknown>; required?: string[] }) : undefined;
    const parameters = [
      ...params.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
      ...Object.entries(query?.properties ?? {}).map(([name, schema]) => ({ name, in: "query", required: !!query?.required?.includes(name), schema })),
    ];
    const op: Record<string, unknown> = {
      ...(doc.upgrade ? { summary: "WebSocket upgrade", "x-websocket": true } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(doc.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(doc.body) } } } } : {}),
      ...(doc.auth || doc.scope ? { security: [{ bearer: doc.scope ? [doc.scope] : [] }] } : {}),
      responses: {
        [doc.upgrade ? "101" : "200"]: { description: doc.upgrade ? "Switching protocols" : "OK" },
        default: { description: "An error", content: { "application/json": { schema: errorSchema } } },
      },
    };
    (paths[path.replace(/:([A-Za-z_]+)/g, "{$1}")] ??= {})[method.toLowerCase()] = op;
  }
  return {
    openapi: "3.1.0",
    info,
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    paths,
  };
}
