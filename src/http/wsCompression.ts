/**
 * How the Worker answers a client's permessage-deflate offer (RFC 7692) on a route's 101.
 *
 * - `"message"`: each frame is compressed on its own (`server_no_context_takeover`). A frame costs
 *   a compressor reset and its own bytes, whatever came before it on the socket. For rooms of many
 *   small frames (games, relay, feed, tabletop): with a 32 KiB window per socket kept across
 *   frames, compression was about 12% of a games roll's CPU, most of it the match search through
 *   each socket's history; per message it is 6-7% (bench/ROLL-COST.md).
 * - `"context"`: every socket keeps its window, so a frame that repeats most of an earlier one
 *   compresses to a few dozen bytes. For rooms that push whole documents that change a little
 *   (campaign's structured_data: 3,864 B to 74 B a delivery, quest's runtime state; per message
 *   691 B; bench/RESULTS.md "Bytes on the wire").
 *
 * A client may ask for either with `?compression=message|context` on its socket URL (browsers can't
 * shape their offer); any other value leaves the route's choice.
 *
 * workerd negotiates with the Worker's `Sec-WebSocket-Extensions` as the server's configuration
 * and the client's offer (compatibility flag `web_socket_compression`): a client that offered
 * nothing gets no compression, and one whose offer can't accept the configuration (it demands
 * `server_max_window_bits`) gets none rather than a handshake failure. The header is set in both
 * modes, never left to the runtime: left to it, a close the room sent to an established
 * (hibernatable) socket completed, as the client's `close` event, only when the room's object went
 * idle, 10-15 s later under `wrangler dev`; answered here, a socket that negotiated deflate gets its
 * `close` event at once (measured: docs/closes.md; a client that offers no deflate still waits).
 */
export type WsCompression = "message" | "context";

export const PER_MESSAGE_DEFLATE = "permessage-deflate; server_no_context_takeover";
export const WINDOWED_DEFLATE = "permessage-deflate";

/** The client's `?compression=` when it names a mode, else the route's. */
export function compressionFor(asked: string | undefined, route: WsCompression): WsCompression {
  return asked === "message" || asked === "context" ? asked : route;
}

/** `res` as the client should get it: a 101 carrying a WebSocket answers deflate offers per `mode`. */
export function answerCompression(res: Response, mode: WsCompression): Response {
  if (res.status !== 101 || !res.webSocket) return res;
  const headers = new Headers(res.headers);
  headers.set("Sec-WebSocket-Extensions", mode === "message" ? PER_MESSAGE_DEFLATE : WINDOWED_DEFLATE);
  return new Response(null, { status: 101, webSocket: res.webSocket, headers });
}
