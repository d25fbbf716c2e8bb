import type { Actor, KindCtx } from "../core/kind.ts";
import type { Reader } from "./audience.ts";
import type { RoomContext } from "./roomContext.ts";
import { seededRandom } from "./seededRandom.ts";

/**
 * The one context every kind hook gets. `random` is seeded by the room's seed
 * and the seq the input will be logged at, so a replay rolls the same dice.
 */
export function kindCtx(rc: RoomContext, actor: Actor, connId: string | null = null, now = rc.now()): KindCtx {
  const { meta } = rc.l;
  return {
    actor,
    connId,
    roomId: meta.roomId,
    now,
    random: seededRandom(meta.seed, rc.store.head() + 1),
    config: meta.config,
    online: rc.presence.onlineList(),
  };
}

/** The reader a visibility check needs: the actor and their current groups. */
export function readerFor(rc: RoomContext, actor: Actor): Reader {
  return rc.groups.reader(rc.l.kind, rc.state, actor, () => kindCtx(rc, actor));
}

/** The core itself acting: timers that fire. */
export const TIMER_ACTOR: Actor = { userId: "hearth:timer", name: "Hearth", role: "system", service: true, scopes: [] };

/** Another object acting through its outbox. */
export const objectActor = (name: string): Actor => ({ userId: name, name, role: "object", service: true, scopes: [] });
