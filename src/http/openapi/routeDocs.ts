import type { z } from "zod";

/** What a middleware says about the route it guards, for the OpenAPI document. */
export interface RouteDoc {
  body?: z.ZodType;
  query?: z.ZodType;
  /** A bearer token is required. */
  auth?: boolean;
  /** ...carrying this Hearth scope. */
  scope?: string;
  /** A WebSocket upgrade route. */
  upgrade?: boolean;
}

const docs = new WeakMap<object, RouteDoc>();

/**
 * Tags a middleware with what it checks. The routes themselves stay plain
 * Hono; the document is read back from `app.routes` (openApiDocument.ts), so
 * it can never drift from the validators that really run.
 */
export function documented<H extends object>(handler: H, doc: RouteDoc): H {
  docs.set(handler, { ...docs.get(handler), ...doc });
  return handler;
}

export const docOf = (handler: object): RouteDoc | undefined => docs.get(handler);
