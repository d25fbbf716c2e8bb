import type { Actor, KindCtx } from "../core/kind.ts";
import type { Reader } from "./audience.ts";

type GroupsOf = (state: unknown, actor: Actor, ctx: KindCtx) => readonly string[];

/**
 * Group membership (Emit.groups) as the kind defines it with `sockets.groupsOf`,
 * cached per user for one state: membership is a pure function of state, so
 * the cache is dropped whenever the state object changes.
 */
export class Groups {
  #state: unknown = undefined;
  #byUser = new Map<string, ReadonlySet<string>>();

  reader(groupsOf: GroupsOf | undefined, state: unknown, actor: Actor, ctx: () => KindCtx): Reader {
    return { actor, inGroup: (g) => this.#of(groupsOf, state, actor, ctx).has(g) };
  }

  #of(groupsOf: GroupsOf | undefined, state: unknown, actor: Actor, ctx: () => KindCtx): ReadonlySet<string> {
    if (state !== this.#state) {
      this.#state = state;
      this.#byUser.clear();
    }
    let set = this.#byUser.get(actor.userId);
    if (!set) {
      try {
        set = new Set(groupsOf?.(state, actor, ctx()) ?? []);
      } catch {
        // A kind bug must not widen an audience: the user is in no group.
        set = new Set();
      }
      this.#byUser.set(actor.userId, set);
    }
    return set;
  }
}
