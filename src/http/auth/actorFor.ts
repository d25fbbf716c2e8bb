import type { Actor } from "../../core/kind.ts";
import { roomRole, scopesOf, type HearthClaims } from "./claims.ts";

/**
 * The identity a room sees, from verified claims. A token that lists `rooms`
 * is good for those rooms only: for any other it yields null (403 / 4003).
 * `room` is the room's object name (`objectName`: `campaign:X`, `quest:7TCJEM`;
 * a relay room's bare id), so a claim is confined to one system's room.
 * Only Hearth's own scopes (SCOPES) count; a token with none is a user, not a service.
 */
export function actorFor(claims: HearthClaims, room: string | null): Actor | null {
  const scopes = scopesOf(claims);
  let role = claims.role ?? "member";
  if (claims.rooms) {
    if (room === null) return null;
    const perRoom = roomRole(claims.rooms, room);
    if (perRoom === undefined) return null;
    role = perRoom;
  }
  return { userId: claims.sub, name: claims.name ?? claims.sub, role, service: scopes.length > 0, scopes };
}
