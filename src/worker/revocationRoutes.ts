import { Hono } from "hono";
import { z } from "zod";
import { SCOPES } from "../core/scopes.ts";
import { revocationCheck } from "../http/auth/revocationCheck.ts";
import type { Env } from "../http/env.ts";
import { jsonBody } from "../http/middleware/jsonBody.ts";
import { describeRoute } from "../http/openapi/routeDocs.ts";
import { requireAuth, type AuthVars } from "../http/middleware/requireAuth.ts";
import { roomStub } from "../http/roomStub.ts";
import { writeRevocation } from "../room/revocations.ts";

/** How long a revocation is kept when the caller doesn't say: past the longest token lifetime we expect. */
export const REVOCATION_DEFAULT_TTL_SEC = 24 * 60 * 60;
const MAX_TTL_SEC = 30 * 24 * 60 * 60;

const revokeBody = z
  .object({
    user_id: z.string().min(1).max(200).optional(),
    jti: z.string().min(1).max(200).optional(),
    reason: z.string().max(200).optional(),
    /** Unix seconds: when every token this revocation must refuse has expired. Default now + 24 h, at most 30 days. */
    expires_at: z.number().int().positive().optional(),
  })
  .strict()
  .refine((b) => (b.user_id === undefined) !== (b.jti === undefined), { message: "Name exactly one of `user_id` and `jti`." });

/** What the route answers (/openapi.json, /docs). */
const doc = describeRoute({
  summary: "Revoke a user's tokens, or one token by `jti`",
  description: "Every later connect and call with them is refused; their open sockets close with 4001 `Token revoked`.",
  tags: ["admin"],
  responses: {
    200: {
      description: "Revoked, and every room holding one of the sockets answered",
      schema: z.object({
        ok: z.literal(true),
        user_id: z.string().optional(),
        jti: z.string().optional(),
        revoked_at: z.number().describe("ms since the epoch"),
        expires_at: z.number().describe("Unix seconds: when the revocation is dropped"),
        rooms: z.number().int(),
        closed: z.number().int(),
        failed: z.number().int(),
        elapsed_ms: z.number(),
      }),
    },
  },
});

/**
 * [V1] `POST /api/revocations` (rooms:admin): revokes a user or one token id. The row is written
 * first (every later connect and HTTP call is refused: [V5]), then every room that holds one of
 * its sockets (D1 `socket_rooms`, [V4]) closes them with 4001 `Token revoked` ([V3]); the answer
 * says how many rooms were asked and how many sockets they closed, once they all answered.
 */
export function revocationRoutes() {
  return new Hono<{ Bindings: Env; Variables: AuthVars }>().post(
    "/api/revocations",
    doc,
    requireAuth({ scope: SCOPES.admin }),
    jsonBody(revokeBody, { message: "Revocation request is not valid." }),
    async (c) => {
      const started = Date.now();
      const body = c.get("body").value as z.output<typeof revokeBody>;
      const nowSec = Math.floor(started / 1000);
      const expiresAtSec = Math.min(Math.max(body.expires_at ?? nowSec + REVOCATION_DEFAULT_TTL_SEC, nowSec + 1), nowSec + MAX_TTL_SEC);
      const rooms = await writeRevocation(c.env.DIRECTORY, {
        userId: body.user_id,
        jti: body.jti,
        reason: body.reason,
        revokedBy: c.get("claims").sub,
        revokedAt: started,
        expiresAt: expiresAtSec * 1000,
      });
      revocationCheck.invalidate();
      let closed = 0;
      let failed = 0;
      await Promise.all(
        rooms.map(async ({ room, userId }) => {
          try {
            const r = await roomStub(c.env, room).revoke({ userId, ...(body.jti !== undefined ? { jti: body.jti } : { revokedAt: started }) });
            if (r.ok) closed += r.closed;
            else failed++;
          } catch (err) {
            failed++;
            console.error(JSON.stringify({ level: "error", event: "revocation_fanout_failed", room, err: String(err) }));
          }
        }),
      );
      const elapsedMs = Date.now() - started;
      console.log(JSON.stringify({ level: "info", event: "revoked", ...(body.user_id !== undefined ? { user: body.user_id } : { jti: body.jti }), rooms: rooms.length, closed, failed, elapsedMs }));
      return c.json({
        ok: true,
        ...(body.user_id !== undefined ? { user_id: body.user_id } : { jti: body.jti }),
        revoked_at: started,
        expires_at: expiresAtSec,
        rooms: rooms.length,
        closed,
        failed,
        elapsed_ms: elapsedMs,
      });
    },
  );
}
