// `ws` with permessage-deflate never offered: bench/rollProfile.mjs --no-deflate loads the games load
// generator (bench/gamesHearth.mjs) with this in place of `ws`, so its sockets send and receive
// uncompressed frames, as Colyseus's server (ws's default, no deflate) gives its clients.
import WebSocket from "ws";

export default class WebSocketNoDeflate extends WebSocket {
  constructor(address, protocols, options) {
    if (protocols && typeof protocols === "object" && !Array.isArray(protocols)) super(address, { ...protocols, perMessageDeflate: false });
    else super(address, protocols, { ...options, perMessageDeflate: false });
  }
}
