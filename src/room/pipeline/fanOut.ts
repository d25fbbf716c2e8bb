import type { Emit } from "../../core/kind.ts";
import { canSee } from "../audience.ts";
import { readerFor } from "../kindCtx.ts";
import type { HostSocket } from "../RoomHost.ts";
import type { RoomContext } from "../roomContext.ts";

/**
 * Stage 7: each frame, encoded once by commit, goes to every open socket in
 * its audience (audience.ts: users, groups, everyone), skipping the sender
 * when the emit says so and a socket about to get its catch-up. A socket
 * whose send fails is dead: its user's leave runs after this fan-out, so
 * peers never see seq N+1 before N. Returns how many sends succeeded.
 *
 * An emit addressed only to users (`to`, no groups: whispers, replies to a
 * few) visits just those users' sockets through the registry's index, not
 * every socket of the room.
 */
export function fanOut(rc: RoomContext, emits: readonly Emit[], frames: readonly (string | null)[], origin?: HostSocket, exclude?: HostSocket): number {
  if (emits.length === 0) return 0;
  let sent = 0;
  let all: HostSocket[] | null = null;
  const everySocket = () => (all ??= exclude ? rc.conns.open().filter((ws) => ws !== exclude) : rc.conns.open());
  const dead: string[] = [];
  emits.forEach((emit, i) => {
    const frame = frames[i];
    if (frame == null) return;
    const everyone = !emit.to && !emit.groups?.length;
    const usersOnly = !!emit.to && !emit.groups?.length;
    const sockets = usersOnly ? [...new Set(emit.to)].flatMap((u) => rc.conns.open(u)).filter((ws) => ws !== exclude) : everySocket();
    for (const ws of sockets) {
      if (emit.skipOrigin && ws === origin) continue;
      const att = everyone ? null : rc.conns.attachment(ws);
      if (!everyone && (!att || !canSee(emit, readerFor(rc, att.actor)))) continue;
      if (rc.conns.send(ws, frame)) {
        sent++;
        rc.sends.sent++;
      } else {
        rc.sends.failed++;
        const user = (att ?? rc.conns.attachment(ws))?.actor.userId;
        if (user) dead.push(user);
      }
    }
  });
  if (dead.length) queueMicrotask(() => dead.forEach((u) => rc.presence.leaveIfLast(u)));
  return sent;
}
