import { Hono } from "hono";
import { SignJWT } from "jose";
import { z } from "zod";
import { hearthClaims } from "../http/auth/claims.ts";
import type { Env } from "../http/env.ts";
import { httpError } from "../http/middleware/httpError.ts";
import { jsonBody } from "../http/middleware/jsonBody.ts";
import { describeRoute } from "../http/openapi/routeDocs.ts";

/** The claims a token can carry (the one schema, from claims.ts; `exp` comes from `ttl`), plus its lifetime. */
const tokenRequest = hearthClaims.omit({ exp: true }).extend({
  /** Lifetime in seconds (default 1 h, at most 24 h). */
  ttl: z.number().int().min(1).max(86_400).optional(),
});

/** What the route answers (/openapi.json, /docs). */
const doc = describeRoute({
  summary: "Mint a local token (development only)",
  description: "Exists only when HEARTH_DEV_AUTH=1 and HEARTH_JWT_SECRET is set (never in the production env); otherwise 404.",
  tags: ["dev"],
  responses: { 200: { description: "An HS256 token", schema: z.object({ token: z.string() }) } },
  errors: { 404: ["NOT_FOUND"] },
});

/** `POST /dev/token`: local tokens. Exists only when HEARTH_DEV_AUTH=1 (never in the production env). */
export const devRoutes = new Hono<{ Bindings: Env }>().post(
  "/dev/token",
  doc,
  async (c, next) => (c.env.HEARTH_DEV_AUTH === "1" && c.env.HEARTH_JWT_SECRET ? next() : httpError(c, 404, "NOT_FOUND", "No such route.")),
  jsonBody(tokenRequest, { message: "Token request is not valid." }),
  async (c) => {
    const { ttl = 3600, ...claims } = c.get("body").value;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .setSubject(claims.sub)
      .sign(new TextEncoder().encode(c.env.HEARTH_JWT_SECRET!));
    return c.json({ token });
  },
);
