import { DEFAULT_BACKOFF, type BackoffOptions } from "./backoffDelay.js";
import { createCommandId } from "./createCommandId.js";
import type { HearthSocketOptions } from "./hearthSocketTypes.js";
import { systemClock, type Clock } from "./systemClock.js";
import { DEFAULT_REFRESH_MARGIN_MS } from "./tokenRefresh.js";
import type { WebSocketConstructor } from "./webSocketLike.js";

/** A HearthSocket's options with every default filled in: fixed for the socket's life. */
export interface HearthSocketSettings<Out extends object> {
  readonly url: string;
  readonly token: string | undefined;
  readonly getToken: (() => Promise<string> | string) | undefined;
  readonly tokenIn: "protocol" | "query";
  /** The query parameters every connect carries (`batch=1` unless `batch: false`, `delta=1` with `documents`). */
  readonly params: Readonly<Record<string, string>>;
  readonly backoff: BackoffOptions;
  readonly stableAfterMs: number;
  readonly pingIntervalMs: number;
  readonly deadAfterMs: number;
  readonly probeTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly resumeTimeoutMs: number;
  readonly refreshMarginMs: number;
  readonly cursorIntervalMs: number;
  readonly hello: (() => Out | readonly Out[] | undefined) | undefined;
  readonly WebSocketImpl: WebSocketConstructor;
  readonly clock: Clock;
  readonly random: () => number;
  readonly createId: () => string;
}

/**
 * Fills in the defaults.
 * @throws TypeError when there is no WebSocket implementation (none given, none global).
 */
export function resolveSettings<Out extends object>(options: HearthSocketOptions<Out>): HearthSocketSettings<Out> {
  const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof WebSocketImpl !== "function") {
    throw new TypeError("HearthSocket: no WebSocket implementation; pass options.WebSocket");
  }
  const pingIntervalMs = options.pingIntervalMs ?? 25_000;
  return {
    url: options.url,
    token: options.token,
    getToken: options.getToken,
    tokenIn: options.tokenIn ?? "protocol",
    params: { ...options.params, ...(options.batch === false ? {} : { batch: "1" }), ...(options.documents ? { delta: "1" } : {}) },
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    stableAfterMs: options.stableAfterMs ?? 5_000,
    pingIntervalMs,
    deadAfterMs: options.deadAfterMs ?? 2 * pingIntervalMs,
    probeTimeoutMs: options.probeTimeoutMs ?? 5_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    resumeTimeoutMs: options.resumeTimeoutMs ?? 10_000,
    refreshMarginMs: options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS,
    cursorIntervalMs: options.cursorIntervalMs ?? 1_000,
    hello: options.hello,
    WebSocketImpl: WebSocketImpl as WebSocketConstructor,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    createId: options.createId ?? createCommandId,
  };
}
