import { buildConnectRequest, type ConnectRequest } from "./buildConnectRequest.js";
import { CLOSE_CODES } from "./closePolicy.js";
import type { HearthSocketSettings } from "./hearthSocketSettings.js";
import type { CursorPosition } from "./resumeCursor.js";
import type { WebSocketLike } from "./webSocketLike.js";

type Settings = Pick<HearthSocketSettings<object>, "url" | "params" | "tokenIn" | "WebSocketImpl">;

/** What one socket tells its HearthSocket. */
export interface SocketListeners {
  open(): void;
  message(data: unknown): void;
  /** `code` is 1006 when the runtime gave none. */
  close(code: number, reason: string): void;
}

/**
 * The URL and subprotocols of one connect attempt (buildConnectRequest.ts), a relative URL
 * resolved against the page's location. HearthSocket's constructor also calls it to throw
 * on a malformed URL at once: that is a programming error, not something to retry.
 */
export function connectRequest(settings: Settings, token?: string, cursor?: CursorPosition): ConnectRequest {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  return buildConnectRequest({
    url: settings.url,
    params: settings.params,
    tokenIn: settings.tokenIn,
    ...(token === undefined ? {} : { token }),
    ...(cursor === undefined ? {} : { cursor }),
    ...(typeof base === "string" ? { base } : {}),
  });
}

/**
 * Creates the WebSocket of one connect attempt, its token and resume cursor in the request,
 * and wires its events to `listeners`.
 * @throws on a malformed URL, or what the WebSocket constructor throws.
 */
export function openWebSocket(settings: Settings, token: string | undefined, cursor: CursorPosition | undefined, listeners: SocketListeners): WebSocketLike {
  const request = connectRequest(settings, token, cursor);
  const socket =
    request.protocols === undefined ? new settings.WebSocketImpl(request.url) : new settings.WebSocketImpl(request.url, request.protocols);
  socket.addEventListener("open", () => listeners.open());
  socket.addEventListener("message", (event: { data: unknown }) => listeners.message(event.data));
  socket.addEventListener("close", (event: { code?: number; reason?: string }) =>
    listeners.close(event.code ?? CLOSE_CODES.ABNORMAL, event.reason ?? ""),
  );
  // "error" is always followed by "close", which carries the information; nothing to do here.
  socket.addEventListener("error", () => {});
  return socket;
}
