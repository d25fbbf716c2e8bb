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
} from "./hearthSocket.js";
export { feedSocket, isFeedEvent, type FeedEvent, type FeedSocketOptions } from "./feedSocket.js";
export { HearthClientError, type HearthClientErrorCode } from "./hearthClientError.js";
export { CLOSE_CODES, closePolicy, type CloseAction } from "./closePolicy.js";
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoffDelay.js";
export { browserLifecycle, type LifecycleHost, type WakeReason } from "./browserLifecycle.js";
export type { CursorPosition } from "./resumeCursor.js";
export type { Clock } from "./systemClock.js";
export type { Unsubscribe } from "./typedEmitter.js";
export type { WebSocketConstructor, WebSocketLike } from "./webSocketLike.js";
export type * from "./frames/index.js";
