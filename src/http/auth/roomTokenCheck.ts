import type { TokenCheck } from "../../room/refreshToken.ts";
import type { Env } from "../env.ts";
import { actorFor } from "./actorFor.ts";
import { authenticate } from "./authenticate.ts";

/**
 * The check a room runs on a token presented over an open socket ([K1]): the same verifier
 * (signature, algorithm, issuer, audience, expiry) and the same actor mapping (`rooms` claim
 * against the object name `room`, Hearth scopes) as a new connection gets in roomAccess. The room
 * then compares the actor with the socket's (src/room/refreshToken.ts, [K2]-[K3]).
 */
export function roomTokenCheck(env: Env): (token: string, room: string) => Promise<TokenCheck> {
  return async (token, room) => {
    const auth = await authenticate(env, token);
    if (!auth.ok) return { ok: false, code: auth.refusal.code, message: auth.refusal.message };
    const { claims } = auth;
    return { ok: true, actor: actorFor(claims, room), expiresAt: typeof claims.exp === "number" ? claims.exp * 1000 : null };
  };
}
