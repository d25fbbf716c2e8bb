import { HearthClientError } from "./hearthClientError.js";
import { TypedEmitter, type Unsubscribe } from "./typedEmitter.js";

/**
 * The listener side of a Hearth socket: `on`/`once`/`off` and their EventTarget-style aliases,
 * over one typed emitter. A listener that throws is reported as an "error" event
 * (LISTENER_FAILED) and never stops the socket's own bookkeeping after the emit.
 */
export class SocketEvents<E extends { error: HearthClientError }> {
  protected readonly emitter: TypedEmitter<E> = new TypedEmitter<E>((error, event) => {
    // Reporting an error listener's own failure through "error" could loop forever.
    if (event === "error") return;
    this.emitter.emit("error", new HearthClientError("LISTENER_FAILED", `A "${String(event)}" listener threw`, error) as E["error"]);
  });
  private readonly onceWrappers = new WeakMap<object, (payload: never) => void>();

  /**
   * EventTarget-style alias of `on` (partysocket users reach for it). The event names are
   * Hearth's ("frame" carries the parsed frame; "state" replaces open/close), so a DOM name
   * like "message" is a type error rather than a listener that never fires.
   */
  addEventListener<K extends keyof E>(event: K, listener: (payload: E[K]) => void, options?: { once?: boolean }): void {
    if (options?.once) this.once(event, listener);
    else this.on(event, listener);
  }

  /** Alias of `off`. */
  removeEventListener<K extends keyof E>(event: K, listener: (payload: E[K]) => void): void {
    this.off(event, listener);
  }

  on<K extends keyof E>(event: K, listener: (payload: E[K]) => void): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  /** Like `on`, for the next event only. The returned function (or `off` with the same listener) cancels it. */
  once<K extends keyof E>(event: K, listener: (payload: E[K]) => void): Unsubscribe {
    const wrapped = (payload: E[K]) => {
      this.emitter.off(event, wrapped);
      this.onceWrappers.delete(listener);
      listener(payload);
    };
    this.onceWrappers.set(listener, wrapped);
    return this.emitter.on(event, wrapped);
  }

  /** Removes a listener added with `on` or `once`. */
  off<K extends keyof E>(event: K, listener: (payload: E[K]) => void): void {
    this.emitter.off(event, listener);
    const wrapped = this.onceWrappers.get(listener);
    if (wrapped) {
      this.emitter.off(event, wrapped as typeof listener);
      this.onceWrappers.delete(listener);
    }
  }
}
