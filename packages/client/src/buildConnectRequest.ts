import type { CursorPosition } from "./resumeCursor.js";

export interface ConnectRequestInput {
  url: string;
  params?: Readonly<Record<string, string>>;
  token?: string;
  tokenIn: "protocol" | "query";
  cursor?: CursorPosition;
  /** Base for relative URLs (the page's location in a browser). */
  base?: string;
}

export interface ConnectRequest {
  url: string;
  /**
   * Always offers `hearth`: Hearth echoes it, and it tells the server this client reads close
   * codes, so refusals (bad token, unknown room) arrive as 4001/4003/4004 instead of an HTTP
   * error that a browser can only report as 1006.
   */
  protocols?: string[];
}

/** The subprotocol the server echoes back; the token rides next to it and is never echoed. */
export const HEARTH_SUBPROTOCOL = "hearth";

/**
 * The URL and subprotocols for one connect attempt. The SDK's own query names
 * (`since`, `epoch`, `token`) override same-named app params, because a stale
 * `since` from the app would make the server replay the wrong range.
 */
export function buildConnectRequest(input: ConnectRequestInput): ConnectRequest {
  const url = input.base === undefined ? new URL(input.url) : new URL(input.url, input.base);
  // Browsers accept http(s) in `new WebSocket` only recently; normalise for the rest.
  if (url.protocol === "http:") url.protocol = "ws:";
  if (url.protocol === "https:") url.protocol = "wss:";
  for (const [key, value] of Object.entries(input.params ?? {})) url.searchParams.set(key, value);
  url.searchParams.delete("since");
  url.searchParams.delete("epoch");
  if (input.cursor !== undefined) {
    url.searchParams.set("since", String(input.cursor.seq));
    url.searchParams.set("epoch", input.cursor.epoch);
  }
  const token = input.token === undefined || input.token === "" ? undefined : input.token;
  if (token !== undefined && input.tokenIn === "query") {
    url.searchParams.set("token", token);
    return { url: url.toString(), protocols: [HEARTH_SUBPROTOCOL] };
  }
  if (token !== undefined) {
    // Keeps the JWT out of URLs, which end up in proxy and server access logs.
    return { url: url.toString(), protocols: [HEARTH_SUBPROTOCOL, "bearer." + token] };
  }
  return { url: url.toString(), protocols: [HEARTH_SUBPROTOCOL] };
}
