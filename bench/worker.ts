/**
 * The one Worker the benchmark loads into workerd. It hosts three targets side by side so they
 * share one process, one core and one set of runtime costs:
 *
 * - Hearth: its real worker and `RoomObject`, re-exported unchanged (everything not below).
 * - `/party/party-room/:room`: a partyserver `Server` with hibernation on. Like most partyserver
 *   apps it only broadcasts; it persists nothing, so its figures are a lower bound on the work.
 * - `/raw/:room`: the smallest hibernating Durable Object that does what Hearth promises at its
 *   core: one SQLite row per event (with the idempotency key as a unique column), broadcast after
 *   the write, and `?since=<seq>` replay from those rows. This is the platform's practical limit.
 * - `/raw-games/:game`: seed 004's bigger_dice in one such object per game (bench/rawGame.ts), the
 *   games bench's floor on workerd; `/raw-seam/:gateway`: the same game with its sockets on a
 *   gateway object and one RPC per roll to the game's object (bench/rawSeam.ts), Hearth's topology.
 */
import { DurableObject } from "cloudflare:workers";
import { routePartykitRequest, Server } from "partyserver";
import hearth, { RoomObject } from "../src/worker/index.ts";
import { RawGame } from "./rawGame.ts";
import { RawSeamGame, RawSeamGateway } from "./rawSeam.ts";

export { RawGame, RawSeamGame, RawSeamGateway, RoomObject };

interface BenchEnv {
  RAW: DurableObjectNamespace;
  RAWGAME: DurableObjectNamespace;
  RAWSEAMGW: DurableObjectNamespace;
  PartyRoom: DurableObjectNamespace;
  [binding: string]: unknown;
}

export class PartyRoom extends Server {
  static override options = { hibernate: true };

  override async onRequest(request: Request): Promise<Response> {
    if (request.method !== "POST") return new Response("method not allowed", { status: 405 });
    this.broadcast(await request.text());
    return new Response("ok");
  }
}

export class RawRoom extends DurableObject<BenchEnv> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE, body TEXT NOT NULL, at INTEGER NOT NULL)",
    );
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() === "websocket") return this.openSocket(request);
    if (request.method !== "POST") return new Response("method not allowed", { status: 405 });

    const body = await request.text();
    const key = request.headers.get("Idempotency-Key");
    if (key !== null) {
      const seen = this.sql.exec<{ seq: number }>("SELECT seq FROM events WHERE key = ?", key).toArray()[0];
      if (seen) return Response.json({ seq: seen.seq, duplicate: true });
    }
    const row = this.sql
      .exec<{ seq: number }>("INSERT INTO events (key, body, at) VALUES (?, ?, ?) RETURNING seq", key, body, Date.now())
      .one();
    // The body is the publisher's JSON; splice it in rather than parse and re-encode it.
    const frame = `{"seq":${row.seq},"data":${body}}`;
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(frame);
      } catch {
        // A socket that is closing; its close handler cleans up.
      }
    }
    return Response.json({ seq: row.seq });
  }

  private openSocket(request: Request): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const since = new URL(request.url).searchParams.get("since");
    if (since !== null) {
      // Synchronous SQLite inside one turn: nothing can be broadcast between this replay and
      // the socket joining getWebSockets(), so there is no gap and no duplicate.
      for (const row of this.sql.exec<{ seq: number; body: string }>(
        "SELECT seq, body FROM events WHERE seq > ? ORDER BY seq",
        Number(since),
      )) {
        server.send(`{"seq":${row.seq},"data":${row.body}}`);
      }
      server.send(`{"type":"recovered","recovered":true}`);
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(): void {}

  override webSocketClose(ws: WebSocket, code: number): void {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code);
    } catch {
      // Already closed.
    }
  }
}

export default {
  async fetch(request: Request, env: BenchEnv, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/__bench/health") return new Response("ok");
    if (url.pathname.startsWith("/party/")) {
      return (await routePartykitRequest(request, env as never, { prefix: "party" })) ?? new Response("not found", { status: 404 });
    }
    if (url.pathname.startsWith("/raw/")) {
      const room = url.pathname.split("/")[2] ?? "";
      return env.RAW.get(env.RAW.idFromName(room)).fetch(request);
    }
    if (url.pathname.startsWith("/raw-games/")) {
      const game = url.pathname.split("/")[2] ?? "";
      return env.RAWGAME.get(env.RAWGAME.idFromName(game)).fetch(request);
    }
    if (url.pathname.startsWith("/raw-seam/")) {
      const gateway = url.pathname.split("/")[2] ?? "";
      return env.RAWSEAMGW.get(env.RAWSEAMGW.idFromName(gateway)).fetch(request);
    }
    return (hearth as { fetch(r: Request, e: unknown, c: ExecutionContext): Promise<Response> | Response }).fetch(request, env, ctx);
  },
};
