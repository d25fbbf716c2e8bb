import type { MiddlewareHandler } from "hono";
import type { z } from "zod";

/** Error codes a route answers with, by HTTP status. `ANY_RULE` stands for the codes of a kind's rules. */
export type ErrorsDoc = Record<number, readonly string[]>;

/** In an ErrorsDoc list: the room's kind decides the code (a rule rejection such as NOT_YOUR_TURN). */
export const ANY_RULE = "*";

/**
 * What a middleware says about the route it guards (jsonBody, queryParams,
 * requireAuth, roomAccess tag themselves with `documented`): facts read from
 * the checks that really run, so they can't drift from them.
 */
export interface RouteDoc {
  body?: z.ZodType;
  /** The code jsonBody answers a body its schema refuses with (default BAD_REQUEST). */
  bodyCode?: string;
  query?: z.ZodType;
  /** A bearer token is required. */
  auth?: boolean;
  /** ...carrying this Hearth scope. */
  scope?: string;
  /** A WebSocket upgrade route. */
  upgrade?: boolean;
  /** roomAccess: the query parameter the room id is read from (`/ws/quest?teamCode=`). */
  roomQuery?: string;
  /** roomAccess: how a malformed room id is refused. */
  invalid?: { status: number; code: string };
  /** roomAccess: a token confined to other rooms is refused (403 ROOM_FORBIDDEN). */
  roomForbidden?: boolean;
  /** roomAccess: an upgrade route that refuses by accepting and closing (seed routes). */
  refuseByClose?: boolean;
}

/** One documented answer. */
export interface ResponseDoc {
  description: string;
  /** The JSON body; an error status without one gets Hearth's error shape with the codes of `errors`. */
  schema?: z.ZodType;
  /** A body that is not JSON (`text/html`). */
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * What a route says about itself, next to its definition (`describeRoute`):
 * what the middlewares can't know. Middleware facts (body, auth, scope,
 * malformed ids, upgrades) are added by the document builder.
 */
export interface OperationDoc {
  summary: string;
  description?: string;
  tags?: readonly string[];
  /** The answers the handler gives itself (successes, and errors with their own body shape). */
  responses: Record<number, ResponseDoc>;
  /** Errors the handler (or the room behind it) answers with, in Hearth's `{error: {code, message}}` shape. */
  errors?: ErrorsDoc;
  /** The body, when the route's validator takes anything and the room checks it (`jsonBody(z.unknown())`). */
  body?: z.ZodType;
  /** A body that may be left out (`POST .../deactivate`). */
  bodyOptional?: boolean;
  /** Query parameters the handler or the room reads that no validator declares (sockets: `character_id`). */
  query?: z.ZodObject;
  /** `Idempotency-Key` is honoured: a retry with the same key and body replays the answer. */
  idempotent?: boolean;
  /** Sockets: the section of docs/protocol.md that describes the frames (its heading's anchor). */
  frames?: string;
}

const docs = new WeakMap<object, RouteDoc>();
const operations = new WeakMap<object, OperationDoc>();

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

/**
 * The one way a route documents itself: the first handler of its definition,
 * a pass-through that carries the route's OperationDoc.
 *
 * @example
 * app.post("/api/teams", describeRoute({ summary: "Create a team", responses: { 201: { description: "Created", schema: team } } }), requireAuth(), ...)
 */
export function describeRoute(doc: OperationDoc): MiddlewareHandler {
  const handler: MiddlewareHandler = (_c, next) => next();
  operations.set(handler, doc);
  return handler;
}

export const operationOf = (handler: object): OperationDoc | undefined => operations.get(handler);
