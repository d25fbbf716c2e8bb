import type { Actor } from "../../core/kind.ts";
import { canSee, type Reader } from "../audience.ts";
import type { Attachment } from "../connections.ts";
import type { Outlet } from "../outlet.ts";
import type { HostSocket } from "../RoomHost.ts";
import type { Outgoing } from "./commit.ts";

/** What stage 8 uses: who is connected and who may see what, and the outlet. */
export interface FanOutPort {
  sockets: {
    /** Every socket of the room (Connections.everyone: a socket whose close is on its way may be in it). */
    everyone(): readonly HostSocket[];
    /** One user's open sockets. */
    open(userId: string): HostSocket[];
    attachment(ws: HostSocket): Attachment | null;
  };
  reader(actor: Actor): Reader;
  /** Who may be in a group, when the kind can say (SocketFace.membersOf); undefined: ask every socket. */
  members?(group: string): readonly string[] | undefined;
  outlet: Pick<Outlet, "deliver">;
}

/**
 * The users whose sockets an emit with an audience may reach: its `to`, plus each group's
 * members when the kind lists them. Null: the audience is everyone, or a group the kind can't
 * list (every socket is asked).
 */
function candidates(port: FanOutPort, audience: Outgoing["audience"]): Set<string> | null {
  if (!audience.groups?.length) return audience.to ? new Set(audience.to) : null;
  if (!port.members) return null;
  const users = new Set(audience.to ?? []);
  for (const g of audience.groups) {
    const listed = port.members(g);
    if (!listed) return null;
    for (const u of listed) users.add(u);
  }
  return users;
}

/** Equal audiences have equal keys, and only they (JSON: no user id or group name can forge another's key). */
const audienceKey = (a: Outgoing["audience"]) => JSON.stringify([a.to ?? null, a.groups ?? null]);

/**
 * Stage 8: each frame, encoded once by commit, goes to every open socket in
 * its audience (audience.ts: users, groups, everyone), skipping the sender
 * when the emit says so and a socket about to get its catch-up. A socket
 * whose send fails is the outlet's to bury (its user's leave runs after this
 * fan-out, so peers never see seq N+1 before N). Returns how many sends
 * succeeded.
 *
 * An emit addressed only to users (`to`, no groups: whispers, replies to a
 * few), or to groups whose members the kind lists (a game's players), visits
 * just those users' sockets through the registry's index, not every socket of
 * the room; each is still checked against the audience. Who is in an audience
 * is worked out once per call: frames of one input with the same audience (a
 * lobby's push of many `room_created` frames to its browsers) cost one look
 * at the sockets, not one each.
 */
export function fanOut(port: FanOutPort, out: readonly Outgoing[], origin?: HostSocket, exclude?: HostSocket): number {
  if (out.length === 0) return 0;
  let sent = 0;
  let all: readonly HostSocket[] | null = null;
  const everySocket = () => (all ??= exclude ? port.sockets.everyone().filter((ws) => ws !== exclude) : port.sockets.everyone());
  // Most inputs emit one frame: only several pay for the key that lets them share a look.
  const byAudience = out.length > 1 ? new Map<string, readonly HostSocket[]>() : null;
  for (const { frame, audience } of out) {
    let sockets: readonly HostSocket[] | undefined;
    if (byAudience) {
      const key = audienceKey(audience);
      sockets = byAudience.get(key);
      if (!sockets) byAudience.set(key, (sockets = recipients(port, audience, everySocket, exclude)));
    } else sockets = recipients(port, audience, everySocket, exclude);
    for (const ws of sockets) {
      if (audience.skipOrigin && ws === origin) continue;
      if (port.outlet.deliver(ws, frame)) sent++;
    }
  }
  return sent;
}

/** The open sockets that may see frames addressed to `audience`. */
function recipients(port: FanOutPort, audience: Outgoing["audience"], everySocket: () => readonly HostSocket[], exclude?: HostSocket): readonly HostSocket[] {
  if (!audience.to && !audience.groups?.length) return everySocket();
  const users = candidates(port, audience);
  const sockets = users ? [...users].flatMap((u) => port.sockets.open(u)).filter((ws) => ws !== exclude) : everySocket();
  return sockets.filter((ws) => {
    const att = port.sockets.attachment(ws);
    return !!att && canSee(audience, port.reader(att.actor));
  });
}
