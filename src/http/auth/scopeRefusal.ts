import { CloseCode } from "../../core/closeCodes.ts";
import type { Refusal } from "../refusal.ts";
import { scopesOf, type HearthClaims, type HearthScope } from "./claims.ts";

/** 403 SCOPE_REQUIRED (close 4003) unless the token carries `scope`; null when it does or none is asked. */
export function scopeRefusal(claims: HearthClaims, scope: HearthScope | undefined): Refusal | null {
  if (!scope || scopesOf(claims).includes(scope)) return null;
  return { status: 403, code: "SCOPE_REQUIRED", message: `This call needs a token with scope ${scope}.`, close: { code: CloseCode.forbidden, reason: `Scope ${scope} required` } };
}
