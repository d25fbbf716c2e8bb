import type { Env } from "../env.ts";

/**
 * Browser WebSocket upgrades must come from an allowed Origin
 * (`HEARTH_ALLOWED_ORIGINS`, comma-separated). Unset: open in local dev,
 * same-origin only otherwise. roomAccess checks it on every upgrade, where it
 * can answer with a close code when the client needs one.
 */
export function originAllowed(origin: string, requestUrl: string, env: Env): boolean {
  const list = (env.HEARTH_ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  if (list.length === 0) return env.HEARTH_DEV_AUTH === "1" || origin === new URL(requestUrl).origin;
  return list.includes("*") || list.includes(origin);
}
