import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import { issues } from "../../room/pipeline/validate.ts";
import { documented } from "../openapi/routeDocs.ts";
import { httpError } from "./httpError.ts";

export type QueryVars<T> = { query: T };

/**
 * Validates the query string with `schema` (400 BAD_REQUEST with
 * `details: [{path, message}]`) and puts the result on the context as `query`.
 *
 * @example app.get("/api/rooms/:roomId/history", roomAccess(), queryParams(historyQuery), (c) => c.json(c.get("query")))
 */
export function queryParams<S extends z.ZodType>(schema: S, message = "Bad query parameters."): MiddlewareHandler<{ Variables: QueryVars<z.output<S>> }> {
  return documented<MiddlewareHandler<{ Variables: QueryVars<z.output<S>> }>>(async (c, next) => {
    const parsed = schema.safeParse(c.req.query());
    if (!parsed.success) return httpError(c, 400, "BAD_REQUEST", message, issues(parsed.error));
    c.set("query", parsed.data);
    await next();
  }, { query: schema });
}
