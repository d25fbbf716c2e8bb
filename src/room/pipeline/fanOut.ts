import type { Actor } from "../../core/kind.ts";
import { canSee, type Reader } from "../audience.ts";
import type { Attachment } from "../connections.ts";
import type { Outlet } from "../outlet.ts";
import type { HostSocket } from "../RoomHost.ts";
import type { Outgoing } from "./commit.ts";

/** What stage 8 uses: who is connected and who may see what, and the outlet. */
export interface FanOutPort {
  sockets: {
    /** Every open socket, or one user's. */
    open(userId?: string): HostSocket[];
    attachment(ws: HostSocket): Attachment | null;
  };
  reader(actor: Actor): Reader;
  outlet: Pick<Outlet, "deliver">;
}

/**
 * Stage 8: each frame, encoded once by commit, goes to every open socket in
 * its audience (audience.ts: users, groups, everyone), skipping the sender
 * when the emit says so and a socket about to get its catch-up. A socket
 * whose send fails is the outlet's to bury (its user's leave runs after this
 * fan-out, so peers never see seq N+1 before N). Returns how many sends
 * succeeded.
 *
 * An emit addressed only to users (`to`, no groups: whispers, replies to a
 * few) visits just those users' sockets through the registry's index, not
 * every socket of the room.
 */
export function fanOut(port: FanOutPort, out: readonly Outgoing[], origin?: HostSocket, exclude?: HostSocket): number {
  if (out.length === 0) return 0;
  let sent = 0;
  let all: HostSocket[] | null = null;
  const everySocket = () => (all ??= exclude ? port.sockets.open().filter((ws) => ws !== exclude) : port.sockets.open());
  for (const { frame, audience } of out) {
    const everyone = !audience.to && !audience.groups?.length;
    const usersOnly = !!audience.to && !audience.groups?.length;
    const sockets = usersOnly ? [...new Set(audience.to)].flatMap((u) => port.sockets.open(u)).filter((ws) => ws !== exclude) : everySocket();
    for (const ws of sockets) {
      if (audience.skipOrigin && ws === origin) continue;
      if (!everyone) {
        const att = port.sockets.attachment(ws);
        if (!att || !canSee(audience, port.reader(att.actor))) continue;
      }
      if (port.outlet.deliver(ws, frame)) sent++;
    }
  }
  return sent;
}
