import { DurableObject } from "cloudflare:workers";
export class RoomObject extends DurableObject {
  async fetch(req: Request) {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }
  webSocketMessage(ws: WebSocket, m: string | ArrayBuffer) { ws.send("echo:" + m); }
}
export default { fetch(req: Request, env: any) { return env.ROOMS.get(env.ROOMS.idFromName("x")).fetch(req); } };
