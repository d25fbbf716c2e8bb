import { DurableObject } from "cloudflare:workers";
import type { Actor } from "../kinds/kind.ts";
import { consoleLogger } from "./logger.ts";
import { Room, type ConnectRequest, type CreateRoom, type HistoryPage, type Outcome, type RoomSnapshot, type SubmitOptions } from "./Room.ts";
import { Errors, type RoomError } from "./roomError.ts";
import { SqliteRoomStore } from "./store/sqliteRoomStore.ts";

/** Header the worker sets (after verifying the token) on the upgrade it forwards; never taken from outside. */
export const CONNECT_HEADER = "x-hearth-connect";

/**
 * The Durable Object shell: one per room. Thin on purpose: it adapts the
 * runtime (sockets, alarm, storage) to `Room` and makes sure nothing thrown
 * crosses the boundary unlogged.
 */
export class RoomObject extends DurableObject {
  #room: Room;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    // Answered by the runtime without waking the object: idle rooms stay hibernated.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    this.#room = new Room({
      store: new SqliteRoomStore(ctx.storage),
      log: consoleLogger,
      host: {
        accept: (ws, tags) => ctx.acceptWebSocket(ws, tags),
        sockets: (tag) => ctx.getWebSockets(tag),
        autoPongAt: (ws) => ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? null,
        getAlarm: () => ctx.storage.getAlarm(),
        setAlarm: (at) => ctx.storage.setAlarm(at),
      },
    });
  }

  override async fetch(request: Request): Promise<Response> {
    const raw = request.headers.get(CONNECT_HEADER);
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket" || !raw) {
      return Response.json({ error: { code: "NOT_FOUND", message: "Rooms only accept WebSocket upgrades here." } }, { status: 404 });
    }
    try {
      return this.#room.connect(JSON.parse(raw) as ConnectRequest);
    } catch (err) {
      consoleLogger.error("connect_failed", { err: String(err), stack: (err as Error).stack });
      return Response.json({ error: Errors.internal() }, { status: 500 });
    }
  }

  create(init: CreateRoom) {
    return this.#guard("create", () => this.#room.create(init));
  }

  submit(actor: Actor, command: unknown, opts?: SubmitOptions): Outcome {
    return this.#guard("submit", () => this.#room.submit(actor, command, opts));
  }

  snapshot(actor: Actor, kind?: string): RoomSnapshot | RoomError {
    return this.#guard("snapshot", () => this.#room.snapshot(actor, kind));
  }

  history(actor: Actor, before: number | undefined, limit: number, kind?: string): HistoryPage | RoomError {
    return this.#guard("history", () => this.#room.history(actor, before, limit, kind));
  }

  reset(actor: Actor) {
    return this.#guard("reset", () => this.#room.reset(actor));
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    this.#guard("message", () => this.#room.message(ws, message));
  }

  override async webSocketClose(ws: WebSocket): Promise<void> {
    this.#guard("close", () => this.#room.closed(ws));
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#guard("socket_error", () => this.#room.closed(ws));
  }

  override async alarm(): Promise<void> {
    try {
      await this.#room.sweep();
    } catch (err) {
      // Rethrow so the runtime retries the alarm (at-least-once); the sweep is idempotent.
      consoleLogger.error("sweep_failed", { err: String(err), stack: (err as Error).stack });
      throw err;
    }
  }

  #guard<T>(op: string, fn: () => T): T | RoomError {
    try {
      return fn();
    } catch (err) {
      consoleLogger.error("room_op_failed", { op, err: String(err), stack: (err as Error).stack });
      return Errors.internal();
    }
  }
}
