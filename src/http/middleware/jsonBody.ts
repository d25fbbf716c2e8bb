import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { issues } from "../../room/pipeline/validate.ts";
import { readJson } from "../readJson.ts";
import { documented } from "../openapi/routeDocs.ts";
import { httpError } from "./httpError.ts";

export type Issue = { path: string; message: string };
export type JsonBodyVars<T> = { body: { value: T; text: string } };

export interface JsonBodyOptions {
  /** Error code of a body the schema refuses. Default `"BAD_REQUEST"`. */
  code?: string;
  /** Its message, fixed or from the issues. Default `"The request body is not valid."`. */
  message?: string | ((issues: Issue[]) => string);
  /** Shapes the parsed JSON before the schema sees it (e.g. adds an id from the URL). */
  prepare?: (value: unknown, c: Context) => unknown;
}

/**
 * Reads the JSON body (readJson: 400 BAD_JSON / JSON_TOO_DEEP / JSON_TOO_COMPLEX),
 * validates it with `schema` (400 with `details: [{path, message}]`, the same
 * shape rooms give BAD_COMMAND), and puts `{ value, text }` on the context as
 * `body`; `text` is what an Idempotency-Key is tied to.
 *
 * @example app.post("/api/teams", requireAuth(), jsonBody(createTeam, { message: "Team request is not valid." }), (c) => c.json(c.get("body").value))
 */
export function jsonBody<S extends z.ZodType>(schema: S, options: JsonBodyOptions = {}): MiddlewareHandler<{ Variables: JsonBodyVars<z.output<S>> }> {
  const { code = "BAD_REQUEST", message = "The request body is not valid.", prepare } = options;
  return documented<MiddlewareHandler<{ Variables: JsonBodyVars<z.output<S>> }>>(async (c, next) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const parsed = schema.safeParse(prepare ? prepare(body.value, c) : body.value);
    if (!parsed.success) {
      const details = issues(parsed.error);
      return httpError(c, 400, code, typeof message === "function" ? message(details) : message, details);
    }
    c.set("body", { value: parsed.data, text: body.text });
    await next();
  }, { body: schema, bodyCode: code });
}
