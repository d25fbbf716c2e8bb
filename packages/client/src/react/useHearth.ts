import { useEffect, useMemo, useSyncExternalStore } from "react";
import type { HearthAck, HearthSocket } from "../hearthSocket.js";
import type { Unsubscribe } from "../typedEmitter.js";
import { HearthStore, type HearthStoreOptions, type HearthView } from "./hearthStore.js";

export interface UseHearthOptions<In extends object, Out extends object, R> extends HearthStoreOptions<In, Out, R> {
  /** `false`: no socket at all (state "idle"), e.g. until the user has logged in. Default true. */
  enabled?: boolean;
}

export interface UseHearthResult<In extends object, Out extends object, R> extends HearthView<In, R> {
  /** Stable across renders (safe in dependency arrays). See `HearthSocket.send`. */
  send: (frame: Out) => void;
  /** Stable across renders. See `HearthSocket.sendCommand`. */
  sendCommand: (command: Out & { id?: string }) => Promise<HearthAck>;
  /** The socket, once the component has mounted (undefined on the first render and on the server). */
  socket: HearthSocket<In, Out> | undefined;
}

const subscribeNothing = (): Unsubscribe => () => {};

/**
 * One HearthSocket for the component's lifetime, as React state.
 *
 * - One socket per identity: `url`, `token`, `tokenIn`, `params` (by value), whether
 *   `getToken`/`hello` are given, and `enabled`. A new identity makes a new socket and
 *   closes the old one. Every other socket option is read when the socket is made.
 * - Callbacks (`getToken`, `hello`, `reduce`, `fromSnapshot`) may be fresh closures on
 *   every render: the latest ones are used, and they never cause a reconnect.
 * - The store is created during render but makes no socket there (renders may be
 *   repeated or thrown away). The socket is made in `useSyncExternalStore`'s
 *   subscribe (an effect), with `startClosed` + `connect()`, and closed a microtask after
 *   the last unsubscribe, so StrictMode's mount/unmount/mount keeps a single socket and
 *   an unmount never leaks one.
 * - On the server (`renderToString`) nothing connects: the view is `state: "idle"`.
 *
 * @example
 * const { state, reduced: messages, send } = useHearth<ChatFrame, ChatSend, ChatFrame[]>({
 *   url: `/ws/rooms/${room}`, getToken, initial: [],
 *   fromSnapshot: () => [], reduce: (list, frame) => [...list, frame],
 * });
 */
export function useHearth<In extends object = Record<string, unknown>, Out extends object = Record<string, unknown>, R = unknown>(
  options: UseHearthOptions<In, Out, R>,
): UseHearthResult<In, Out, R> {
  const { enabled = true, ...storeOptions } = options;
  const key = identityKey(options);
  // Pure (no socket yet), so a discarded or doubled render costs nothing. `key` is the identity.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const store = useMemo(() => new HearthStore<In, Out, R>(storeOptions), [key]);
  // Declared before useSyncExternalStore so it runs before the first subscribe connects.
  useEffect(() => store.setCallbacks(storeOptions));
  const view = useSyncExternalStore(enabled ? store.subscribe : subscribeNothing, store.getSnapshot, store.getServerSnapshot);
  const socket = store.socket;
  return useMemo(
    () => ({ ...view, send: store.send, sendCommand: store.sendCommand, socket }),
    [view, store, socket],
  );
}

function identityKey(options: Pick<UseHearthOptions<object, object, never>, "url" | "token" | "tokenIn" | "params" | "getToken" | "hello" | "enabled">): string {
  const params = Object.entries(options.params ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([
    options.url,
    options.token ?? null,
    options.tokenIn ?? "protocol",
    params,
    typeof options.getToken === "function",
    typeof options.hello === "function",
    options.enabled ?? true,
  ]);
}
