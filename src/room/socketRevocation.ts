import type { Attachment } from "./connections.ts";
import type { Logger } from "./logger.ts";
import { revokedConnect, type TokenIdentity } from "./revocations.ts";
import type { ConnectRequest, ConnectResult, RevokeTarget } from "./rpc.ts";
import { SocketRoomLedger } from "./socketRoomLedger.ts";

/** What revocation needs of the room: how many sockets a user's token holds here, and closing them. */
export interface RevocableRoom {
  holds(userId: string, jti: string | undefined): number;
  revoke(target: RevokeTarget): number;
}

/**
 * A room's part in revocation for its own sockets, over D1 (docs/security.md):
 * - [V5] a connect whose token the worker left to the room is read before it is admitted;
 * - [V4] the room's first socket of a (user, jti) is listed in `socket_rooms` (with a read that
 *   closes a connect which raced a revocation), and the row goes with the last one;
 * - [V8] all of it through one SocketRoomLedger: in order, one D1 batch at a time.
 * A socket that follows this room from another ([S6]: a games socket's game) is listed under the
 * room it came through, whose revoke closes it: a row per game would outlive the game.
 */
export class SocketRevocation {
  readonly #ledger: SocketRoomLedger;
  readonly #room: RevocableRoom;
  readonly #name: () => string;
  readonly #keepAlive: (work: Promise<unknown>) => void;

  constructor(deps: { db: D1Database; room: RevocableRoom; name: () => string; keepAlive: (work: Promise<unknown>) => void; log: Logger }) {
    this.#ledger = new SocketRoomLedger(deps.db, (err, ops) => deps.log.error("socket_rooms_write_failed", { err: String(err), ...ops }));
    this.#room = deps.room;
    this.#name = deps.name;
    this.#keepAlive = deps.keepAlive;
  }

  /** [V5] The refusal of a connect whose token is revoked, or null (D1 unreachable: admitted, [V6]). */
  async refusal(req: ConnectRequest): Promise<Extract<ConnectResult, { ok: false }> | null> {
    if (!req.revocation) return null;
    const until = await this.#ledger.check(identity(req), Date.now());
    return until === null ? null : revokedConnect(req.revocation.refuse, until);
  }

  /** Whether the socket about to connect will be this room's first of its (user, jti): ask before connecting it. */
  first(req: ConnectRequest): boolean {
    return !req.following && this.#room.holds(req.actor.userId, req.jti) === 0;
  }

  /** [V4] Lists the room as holding the token's sockets; a revocation read in the same batch closes them. */
  track(req: ConnectRequest): void {
    const t = identity(req);
    this.#keepAlive(
      this.#ledger.record(t, this.#name(), Date.now()).then((until) => {
        if (until !== null) this.#room.revoke({ userId: t.sub, jti: t.jti ?? "" });
      }),
    );
  }

  /** [V4] A socket of this room closed (here or on a gateway): the row goes with the token's last one. */
  untrack(ws: { deserializeAttachment(): unknown }): void {
    const att = ws.deserializeAttachment() as Attachment | null;
    if (!att || att.v !== 1 || att.following || this.#room.holds(att.actor.userId, att.jti) > 0) return;
    this.#keepAlive(this.#ledger.forget(att.actor.userId, att.jti, this.#name()));
  }
}

const identity = (req: ConnectRequest): TokenIdentity => ({ sub: req.actor.userId, jti: req.jti, iat: req.iat });
