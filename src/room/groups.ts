import type { Actor, AnyKind, KindCtx } from "../core/kind.ts";
import type { Reader } from "./audience.ts";

/**
 * Group membership (Emit.groups) as the kind defines it with `groupsOf`,
 * cached per user for one state: membership is a pure function of state, so
 * the cache is dropped whenever the state object changes.
 */
export class Groups {
  #state: unknown = undefined;
  #byUser = new Map<string, ReadonlySet<string>>();

  reader(kind: AnyKind, state: unknown, actor: Actor, ctx: () => KindCtx): Reader {
    return { actor, inGroup: (g) => this.#of(kind, state, actor, ctx).has(g) };
  }

  #of(kind: AnyKind, state: unknown, actor: Actor, ctx: () => KindCtx): ReadonlySet<string> {
    if (state !== this.#state) {
      this.#state = state;
      this.#byUser.clear();
    }
    let set = this.#byUser.get(actor.userId);
    if (!set) {
      try {
        set = new Set(kind.groupsOf?.(state, actor, ctx()) ?? []);
      } catch {
        // A kind bug must not widen an audience: the user is in no group.
        set = new Set();
      }
      this.#byUser.set(actor.userId, set);
    }
    return set;
  }
}
