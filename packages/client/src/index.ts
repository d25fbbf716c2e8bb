/**
 * Hearth's browser client: one reconnecting, resuming WebSocket per room.
 * Runs in browsers and in workerd; no dependencies. See the package README (usage) and DESIGN.md (decisions).
 */
export {
  HearthSocket,
  type ConnectionState,
  type HearthAck,
  type HearthCloseInfo,
  type HearthSnapshot,
  type HearthSocketEvents,
  type HearthSocketOptions,
} from "./hearthSocket";
export { feedSocket, isFeedEvent, type FeedEvent, type FeedSocketOptions } from "./feedSocket";
export { HearthClientError, type HearthClientErrorCode } from "./hearthClientError";
export { CLOSE_CODES, closePolicy, type CloseAction } from "./closePolicy";
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoffDelay";
export { browserLifecycle, type LifecycleHost, type WakeReason } from "./browserLifecycle";
export type { CursorPosition } from "./resumeCursor";
export type { Clock } from "./systemClock";
export type { Unsubscribe } from "./typedEmitter";
export type { WebSocketConstructor, WebSocketLike } from "./webSocketLike";
export type * from "./frames/index";
