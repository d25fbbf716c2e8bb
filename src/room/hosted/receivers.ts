import type { Effect } from "../../core/kind.ts";
import { hostedName } from "../../core/objectName.ts";
import type { HostSocket } from "../RoomHost.ts";
import type { RoomStore } from "../store/RoomStore.ts";

/** Names whose address is remembered in memory (a lobby sends to the few games in play, not to all it ever made). */
const CACHED = 1_000;

/**
 * [S8] Where each message a kind sends goes. A receiver it created with `host: "sender"` lives
 * inside the gateway that held the sending socket (`<gateway>/<name>`); every later message to the
 * same name goes to that address. The store records the address with the first message (same
 * commit), so it is found again after an eviction.
 */
export class Receivers {
  readonly #store: Pick<RoomStore, "hostedAt">;
  /** name -> address, or null: a receiver of its own. */
  readonly #known = new Map<string, string | null>();

  constructor(store: Pick<RoomStore, "hostedAt">) {
    this.#store = store;
  }

  /** The address for `effect`, sent while handling an input from `sender` (null: not a socket's). */
  addressOf(effect: Effect, sender: HostSocket | null): string {
    const known = this.#lookup(effect.to);
    if (known !== null) return known;
    if (effect.host !== "sender" || !effect.create || !sender?.gateway) return effect.to;
    const address = hostedName(sender.gateway, effect.to);
    this.#remember(effect.to, address);
    return address;
  }

  #lookup(name: string): string | null {
    const cached = this.#known.get(name);
    if (cached !== undefined) return cached;
    const address = this.#store.hostedAt(name);
    this.#remember(name, address);
    return address;
  }

  #remember(name: string, address: string | null): void {
    if (this.#known.size >= CACHED) this.#known.delete(this.#known.keys().next().value!);
    this.#known.set(name, address);
  }
}
