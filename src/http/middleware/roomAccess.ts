import type { MiddlewareHandler } from "hono";
import { CloseCode, CloseReason } from "../../core/closeCodes.ts";
import type { Actor } from "../../core/kind.ts";
import { objectName } from "../../core/objectName.ts";
import type { TokenGrant } from "../../room/connections.ts";
import type { ConnectRequest, RoomRpc } from "../../room/rpc.ts";
import { actorFor } from "../auth/actorFor.ts";
import { authenticate } from "../auth/authenticate.ts";
import type { HearthClaims, HearthScope } from "../auth/claims.ts";
import { originAllowed } from "../auth/originAllowed.ts";
import { scopeRefusal } from "../auth/scopeRefusal.ts";
import { HEARTH_PROTOCOL, tokenFrom } from "../auth/tokenFrom.ts";
import type { Env } from "../env.ts";
import { documented } from "../openapi/routeDocs.ts";
import { refusalResponse, upgradeRequired, type Refusal, type UpgradeRefusal } from "../refusal.ts";
import { ROOM_ID } from "../../core/objectName.ts";
import { roomStub } from "../roomStub.ts";

export interface RoomAccessOptions {
  /** Path parameter holding the room id. Default `"roomId"`. */
  param?: string;
  /** Read the id from this query parameter instead of a path parameter (`/ws/quest?teamCode=`). */
  query?: string;
  /** Applied to the raw id before it is checked (team codes are upper-cased). Default: unchanged. */
  normalize?: (raw: string) => string;
  /** Well-formed ids; anything else is refused here and never reaches a Durable Object. Default ROOM_ID. */
  pattern?: RegExp;
  /**
   * The rooms' name space: the Durable Object is `objectName(kind, id)` (`tabletop:<id>`).
   * Without `kind` or `name`, the object is named by the bare id (relay's rooms predate prefixes).
   */
  kind?: string;
  /** A name that objectName can't make here (the id itself, a kind file's own helper); `kind` wins over it. */
  name?: (roomId: string) => string;
  /** A Hearth scope the token must carry (403 SCOPE_REQUIRED, close 4003). */
  scope?: HearthScope;
  /** A WebSocket route: 426 without `Upgrade`, Origin checked, refusals per `refuse`. Default false. */
  upgrade?: boolean;
  /**
   * How upgrades are refused: "http" (JSON, Hearth's own routes) or "close"
   * (accept, then close with the code: seeds whose clients read close codes).
   * A client offering the `hearth` subprotocol always gets "close", and so does a
   * browser (an upgrade with `Origin`) refused for its token (4001). Default "http".
   */
  refuse?: "http" | "close";
  /** The JSON answer for a malformed id (close 4004 either way). Default 400 BAD_ROOM_ID. */
  invalid?: { status: number; code: string; message: string };
  /** The 403 ROOM_FORBIDDEN message for a token confined to other rooms. */
  forbidden?: string;
}

/** What a route behind roomAccess gets as `c.get("room")`. */
export interface RoomAccess {
  roomId: string;
  /** The Durable Object's name (system-prefixed). */
  name: string;
  /** The caller as this room sees them. */
  actor: Actor;
  stub: RoomRpc;
  claims: HearthClaims;
  /** What the token granted here (the name its `rooms` claim was checked against, the role): kept when a route moves the socket or sets its role ([K3]). */
  grant: TokenGrant;
  /** Upgrade routes only: how the room refuses too, and the subprotocol to echo. */
  upgrade?: UpgradeRefusal;
  /** Upgrade routes only: the room reads the token's revocations before it admits the socket ([V5], [V8]). */
  revocation?: ConnectRequest["revocation"];
}

export type RoomAccessVars = { room: RoomAccess };

const DEFAULTS = {
  param: "roomId",
  normalize: (raw: string) => raw,
  pattern: ROOM_ID,
  name: (roomId: string) => roomId,
  upgrade: false,
  refuse: "http",
  invalid: { status: 400, code: "BAD_ROOM_ID", message: "Room ids are 1-64 characters of A-Z a-z 0-9 _ -." },
  forbidden: "This token is not valid for this room.",
} satisfies RoomAccessOptions;

/**
 * The one way from the worker into a room, for HTTP calls and WebSocket
 * upgrades alike: reads and checks the room id, verifies the token once,
 * builds the actor, and puts `{ roomId, name, actor, stub, claims }` on the
 * context as `room`. Upgrades are checked in the order a socket client needs
 * (id, `Upgrade`, Origin, token, scope, room); HTTP calls authenticate first.
 *
 * @example
 * const access = roomAccess({ param: "session_id", kind: "tabletop" }); // the object tabletop:<session_id>
 * app.get("/api/sessions/:session_id", access, async (c) => c.json(await c.get("room").stub.snapshot(c.get("room").actor)));
 * app.get("/ws/game/:session_id", roomAccess({ param: "session_id", kind: "tabletop", upgrade: true, refuse: "close" }), upgradeToRoom({ kind: "tabletop" }));
 */
export function roomAccess(options: RoomAccessOptions = {}): MiddlewareHandler<{ Bindings: Env; Variables: RoomAccessVars }> {
  const o = { ...DEFAULTS, ...options };
  const invalid: Refusal = { ...o.invalid, close: { code: CloseCode.notFound, reason: CloseReason.notFound } };
  const forbidden: Refusal = { status: 403, code: "ROOM_FORBIDDEN", message: o.forbidden, close: { code: CloseCode.forbidden, reason: CloseReason.tokenNotForRoom } };

  return documented(async (c, next) => {
    const { token, protocol } = tokenFrom(c.req.raw);
    // A client offering `hearth` (the SDK) reads close codes; a browser can't read an HTTP refusal
    // (it only sees 1006), so such clients are refused by closing with the table's code.
    const upgrade: UpgradeRefusal | undefined = o.upgrade
      ? {
          refuse: protocol === HEARTH_PROTOCOL ? "close" : o.refuse,
          upgrade: c.req.header("Upgrade")?.toLowerCase() === "websocket",
          ...(protocol ? { protocol } : {}),
        }
      : undefined;
    const deny = (refusal: Refusal) => refusalResponse(c, refusal, upgrade);

    const roomId = o.normalize((o.query ? c.req.query(o.query) : c.req.param(o.param)) ?? "");
    const wellFormed = o.pattern.test(roomId);
    if (upgrade) {
      if (!wellFormed) return deny(invalid);
      if (!upgrade.upgrade) return upgradeRequired(c);
      const origin = c.req.header("Origin");
      if (origin && !originAllowed(origin, c.req.url, c.env)) {
        return deny({ status: 403, code: "ORIGIN_NOT_ALLOWED", message: `Origin ${origin} may not open sockets here.`, close: { code: CloseCode.forbidden, reason: CloseReason.originNotAllowed } });
      }
    }
    // [V8] An upgrade the worker hands to a room leaves the revocation read to the room (batched there).
    const auth = await authenticate(c.env, token, { deferRevocation: Boolean(upgrade) });
    // A browser (every browser upgrade carries Origin) can't read an HTTP refusal: it reports 1006
    // and nothing else, so "log in again" looks like "server down". Token refusals (missing, invalid,
    // expired) close with 4001 and the reason on every socket route for it, decided here in the
    // worker: no Durable Object is woken. Non-browser clients keep the route's style (docs/protocol.md).
    const tokenRefusal = upgrade && c.req.header("Origin") ? { ...upgrade, refuse: "close" as const } : upgrade;
    if (!auth.ok) return refusalResponse(c, auth.refusal, tokenRefusal);
    const lacksScope = scopeRefusal(auth.claims, o.scope);
    if (lacksScope) return deny(lacksScope);
    if (!wellFormed) return deny(invalid);
    const name = o.kind === undefined ? o.name(roomId) : objectName(o.kind, roomId);
    // A `rooms` claim names objects (`campaign:X`; relay rooms by their bare id), so a claim meant
    // for relay room X opens nothing of another system's room X.
    const actor = actorFor(auth.claims, name);
    if (!actor) return deny(forbidden);
    const revocation = auth.revocationDeferred && tokenRefusal ? { revocation: { refuse: tokenRefusal.refuse } } : {};
    c.set("room", { roomId, name, actor, stub: roomStub(c.env, name), claims: auth.claims, grant: { room: name, role: actor.role }, ...(upgrade ? { upgrade } : {}), ...revocation });
    await next();
  }, {
    auth: true,
    invalid: o.invalid,
    roomForbidden: true,
    ...(o.scope ? { scope: o.scope } : {}),
    ...(o.query ? { roomQuery: o.query } : {}),
    ...(o.upgrade ? { upgrade: true, refuseByClose: o.refuse === "close" } : {}),
  });
}
