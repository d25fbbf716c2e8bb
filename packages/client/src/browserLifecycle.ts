import type { Unsubscribe } from "./typedEmitter.js";

export type WakeReason = "online" | "visible" | "pageshow";

interface ListenerHost {
  addEventListener(type: string, listener: (event: unknown) => void): void;
  removeEventListener(type: string, listener: (event: unknown) => void): void;
}

/** The globals this reads; declared narrowly because the project's lib has no DOM. */
export interface LifecycleHost {
  window?: ListenerHost;
  document?: ListenerHost & { readonly visibilityState?: string };
}

/**
 * Calls `wake` when the page has reason to believe its socket may be dead or
 * its retry timer stale:
 * - `online`: the network came back; don't sit out the rest of a 30 s backoff.
 * - `visibilitychange` to visible: background tabs get their timers throttled
 *   (Chrome: at most once per minute after 5 minutes hidden), so pings and
 *   dead-socket checks may not have run; check now.
 * - `pageshow` with `persisted`: restored from the back/forward cache, where
 *   the socket was closed behind our back.
 * A no-op where there is no window/document (workerd, Node).
 */
export function browserLifecycle(
  wake: (reason: WakeReason) => void,
  host: LifecycleHost = globalThis as unknown as LifecycleHost,
): Unsubscribe {
  const win = host.window;
  const doc = host.document;
  const onOnline = () => wake("online");
  const onPageShow = (event: unknown) => {
    if ((event as { persisted?: boolean } | undefined)?.persisted === true) wake("pageshow");
  };
  const onVisibility = () => {
    if (doc?.visibilityState === "visible") wake("visible");
  };
  win?.addEventListener("online", onOnline);
  win?.addEventListener("pageshow", onPageShow);
  doc?.addEventListener("visibilitychange", onVisibility);
  return () => {
    win?.removeEventListener("online", onOnline);
    win?.removeEventListener("pageshow", onPageShow);
    doc?.removeEventListener("visibilitychange", onVisibility);
  };
}
