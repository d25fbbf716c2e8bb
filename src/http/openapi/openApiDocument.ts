import { z } from "zod";
import { addErrors, codeSchema, codesText, middlewareErrors } from "./errorsOf.ts";
import { docOf, operationOf, type OperationDoc, type RouteDoc } from "./routeDocs.ts";
import { errorBody, socketQuery } from "./schemas.ts";

export interface HonoRoute {
  method: string;
  path: string;
  handler: object;
}

type Json = Record<string, unknown>;

/**
 * The document's shared schemas (`components.schemas`): zod gives a recursive schema (JSON
 * values, quest timelines) `$defs` of its own, whose `#/$defs/...` refs would point into the
 * document's root; they move here, once per distinct set.
 */
class SharedSchemas {
  readonly all: Record<string, Json> = {};
  #seen = new Map<string, Map<string, string>>();

  /** A zod schema as the JSON Schema an OpenAPI 3.1 document embeds (no `$schema`, `$defs` moved to components). */
  of(schema: z.ZodType, io: "input" | "output"): Json {
    const { $schema: _s, $defs, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json & { $defs?: Record<string, Json> };
    if (!$defs) return rest;
    const key = JSON.stringify($defs);
    let names = this.#seen.get(key);
    if (!names) {
      names = new Map(Object.keys($defs).map((k, i) => [k, `Shared${this.#seen.size}_${i}`]));
      this.#seen.set(key, names);
      for (const [k, def] of Object.entries($defs)) this.all[names.get(k)!] = relink(def, names) as Json;
    }
    return relink(rest, names) as Json;
  }
}

/** `#/$defs/<name>` refs, pointed at `components.schemas`. */
function relink(value: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => relink(v, names));
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/") ? `#/components/schemas/${names.get(v.slice(8)) ?? v}` : relink(v, names)]),
  );
}

const PROTOCOL = "docs/protocol.md";

/** A route as app.routes lists it: the middleware facts and the route's own doc (its describeRoute). */
interface Route {
  method: string;
  path: string;
  facts: RouteDoc;
  op?: OperationDoc;
}

/** app.routes, one entry per method and path, middlewares' facts merged; `ALL` and `*` entries are middleware mounts. */
export function routesOf(routes: readonly HonoRoute[]): Route[] {
  const byKey = new Map<string, Route>();
  for (const r of routes) {
    if (r.method === "ALL" || r.path.includes("*")) continue;
    const key = `${r.method} ${r.path}`;
    const entry = byKey.get(key) ?? { method: r.method, path: r.path, facts: {} };
    entry.facts = { ...entry.facts, ...docOf(r.handler) };
    entry.op ??= operationOf(r.handler);
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

/** The routes that have no describeRoute: the contract test fails on any. */
export const undocumentedRoutes = (routes: readonly HonoRoute[]) => routesOf(routes).filter((r) => !r.op).map((r) => `${r.method} ${r.path}`);

function parametersOf({ path, facts, op }: Route & { op: OperationDoc }, schemas: SharedSchemas): Json[] {
  const out: Json[] = [...path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({ name: m[1]!, in: "path", required: true, schema: { type: "string" } }));
  const query = (schema: z.ZodType) => {
    const s = schemas.of(schema, "input") as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, p] of Object.entries(s.properties ?? {})) {
      if (out.some((o) => o.in === "query" && o.name === name)) continue;
      const { description, ...schema } = p;
      out.push({ name, in: "query", required: !!s.required?.includes(name), schema, ...(description ? { description } : {}) });
    }
  };
  if (facts.query) query(facts.query);
  if (op.query) query(op.query);
  if (facts.roomQuery && !out.some((o) => o.name === facts.roomQuery)) {
    out.push({ name: facts.roomQuery, in: "query", required: false, schema: { type: "string" }, description: "Names the room." });
  }
  if (facts.upgrade) query(socketQuery);
  if (op.idempotent) {
    out.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      schema: { type: "string", minLength: 1, maxLength: 200 },
      description: "A retry with the same key and body replays the first answer (with `Idempotent-Replayed: true`); the same key with another body is 422.",
    });
  }
  return out;
}

function responsesOf(route: Route & { op: OperationDoc }, schemas: SharedSchemas): Json {
  const { facts, op, path } = route;
  const responses: Record<string, Json> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    const media = r.contentType ?? "application/json";
    const replays = op.idempotent && status.startsWith("2") ? { "Idempotent-Replayed": "`true` when this answer replays an earlier call with the same `Idempotency-Key`" } : {};
    const headers = { ...replays, ...r.headers };
    responses[status] = {
      description: r.description,
      ...(Object.keys(headers).length ? { headers: Object.fromEntries(Object.entries(headers).map(([h, d]) => [h, { description: d, schema: { type: "string" } }])) } : {}),
      ...(r.schema ? { content: { [media]: { schema: schemas.of(r.schema, "output") } } } : {}),
    };
  }
  if (facts.upgrade) {
    responses["101"] = {
      description: [
        `Switching Protocols: the socket is open. Its frames: ${PROTOCOL}${op.frames ? `, section "${op.frames}"` : ""}.`,
        facts.refuseByClose
          ? "Refusals (token, room, invitation, capacity) are this 101 followed by a close: 4001 bad token, 4003 not allowed, 4004 unknown room, 4009 full."
          : "A client offering the `hearth` subprotocol, and a browser refused for its token, are refused by this 101 followed by a close code (4001, 4003, 4004, 4009) instead of the HTTP errors below.",
        `Close codes: ${PROTOCOL}, section "WebSocket closes".`,
      ].join(" "),
    };
  }
  const errors = new Map<number, Set<string>>();
  addErrors(errors, middlewareErrors(facts, path));
  if (op.idempotent) addErrors(errors, { 400: ["BAD_IDEMPOTENCY_KEY"], 422: ["IDEMPOTENCY_KEY_REUSED"] });
  addErrors(errors, op.errors);
  for (const [status, set] of [...errors].sort(([a], [b]) => a - b)) {
    const codes = [...set];
    const hearth = schemas.of(errorBody(), "output") as { properties: { error: { properties: Json } } };
    hearth.properties.error.properties.code = { ...(hearth.properties.error.properties.code as Json), ...codeSchema(codes) };
    const own = responses[String(status)] as { description: string; content?: Record<string, { schema: Json }> } | undefined;
    const ownSchema = own?.content?.["application/json"]?.schema;
    const schema = ownSchema ? { anyOf: [ownSchema, hearth] } : hearth;
    responses[String(status)] = { description: own ? `${own.description}; or Hearth's error with ${codesText(codes)}` : codesText(codes), content: { "application/json": { schema } } };
  }
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

const operationId = (method: string, path: string) =>
  method.toLowerCase() +
  path
    .split(/[/_.-]/)
    .filter(Boolean)
    .map((part) => (part.startsWith(":") ? `By${part[1]!.toUpperCase()}${part.slice(2)}` : part[0]!.toUpperCase() + part.slice(1)))
    .join("");

/**
 * OpenAPI 3.1 for the routes of a Hono app: each route's own `describeRoute`
 * doc (its answers), merged with what its middlewares check (body and query
 * schemas, token, scope, room id, upgrade) and the errors those answer with.
 * Served as `/openapi.json`, rendered at `/docs`.
 */
export function openApiDocument(
  routes: readonly HonoRoute[],
  info: { title: string; version: string; description?: string },
  /** The operations' groups, in the order a reader meets them. */
  tags: readonly { name: string; description: string }[] = [],
) {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas = new SharedSchemas();
  for (const route of routesOf(routes)) {
    const { method, path, facts, op } = route;
    if (!op) continue;
    const body = op.body ?? facts.body;
    const parameters = parametersOf({ ...route, op }, schemas);
    const operation: Json = {
      operationId: operationId(method, path),
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: op.tags ?? [path.startsWith("/ws/") ? "sockets" : (path.split("/")[path.startsWith("/api/") ? 2 : 1] ?? "")],
      ...(facts.upgrade ? { "x-websocket": true } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(body ? { requestBody: { required: !op.bodyOptional, content: { "application/json": { schema: schemas.of(body, "input") } } } } : {}),
      ...(facts.auth || facts.scope ? { security: [{ bearer: facts.scope ? [facts.scope] : [] }] } : {}),
      responses: responsesOf({ ...route, op }, schemas),
    };
    (paths[path.replace(/:([A-Za-z_]+)/g, "{$1}")] ??= {})[method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info,
    ...(tags.length ? { tags } : {}),
    components: {
      schemas: schemas.all,
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "A JWT in `Authorization: Bearer <jwt>` (sockets: also `?token=` or the `bearer.<jwt>` subprotocol). Scopes named per operation are Hearth scopes (`rooms:admin`, `events:publish`) in the token's `scope` claim.",
        },
      },
    },
    paths,
  };
}
