import { CloseCode, CloseReason } from "../../core/closeCodes.ts";
import { hearthError } from "../../core/hearthError.ts";
import { refusesOverHttp } from "../../core/refusal.ts";
import type { Logger } from "../logger.ts";
import type { Room } from "../Room.ts";
import type { ConnectRequest, GatewayInput, RemoteConnected } from "../rpc.ts";
import type { RemoteSockets } from "./remoteSockets.ts";

/**
 * The room's side of its gateways ([S2], [S3]): a gateway's connect becomes a
 * RemoteSocket the room connects like its own; what a gateway's socket sent is
 * handed to the room as that socket's frame or close, in order. (A batch the
 * gateway retries after a lost answer is applied again: command ids make that
 * safe, as for a client's own retry; frames without one may repeat.)
 */
export class RemoteSide {
  readonly #room: Room;
  readonly #sockets: RemoteSockets;
  readonly #log: Logger;

  constructor(room: Room, sockets: RemoteSockets, log: Logger) {
    this.#room = room;
    this.#sockets = sockets;
    this.#log = log;
  }

  connect(req: ConnectRequest, gateway: string): RemoteConnected {
    const conn = req.connId;
    if (!conn) return refused(req, hearthError("BAD_CONNECT", "A gateway's connect names its connection.", 400), CloseCode.forbidden);
    const rules = this.#room.gatewayRules(gateway, req.following === true);
    if (!rules.admits) {
      const error = hearthError("ROOM_FULL", CloseReason.full, 503);
      return { ok: false, close: { code: CloseCode.full, reason: CloseReason.full }, error, overHttp: refusesOverHttp(req.refuse, "roomFull") };
    }
    const result = this.#room.connect(req, this.#sockets.create(gateway, conn));
    return result.ok ? { ok: true, idleTimeoutMs: rules.idleTimeoutMs, kind: rules.kind } : result;
  }

  async input(gateway: string, items: GatewayInput[]): Promise<void> {
    for (const item of items) {
      const ws = "closed" in item ? this.#sockets.closedThere(item.conn) : this.#sockets.byConn(item.conn);
      if (!ws) continue;
      if (ws.gateway !== gateway) {
        // Only the gateway that holds a socket speaks for it.
        this.#log.warn("remote_input_misrouted", { gateway, conn: item.conn });
        continue;
      }
      if ("closed" in item) this.#room.closed(ws);
      else await this.#room.message(ws, item.data);
    }
  }

  /** The gateway stopped answering: the room gives up its sockets there (their users leave). */
  lost(gateway: string): void {
    this.#log.warn("gateway_lost", { gateway });
    for (const ws of this.#sockets.on(gateway)) {
      this.#sockets.closedThere(ws.conn);
      this.#room.closed(ws);
    }
  }
}

function refused(req: ConnectRequest, error: ReturnType<typeof hearthError>, code: number): RemoteConnected {
  return { ok: false, close: { code, reason: error.message.slice(0, 120) }, error, overHttp: refusesOverHttp(req.refuse, "other") };
}
