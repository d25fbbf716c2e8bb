/**
 * The raw game (bench/rawGame.ts) with Hearth's topology: what the seam between two objects costs
 * the platform, with no Hearth code. Sockets live on a gateway object
 * (`/raw-seam/:gateway?game=<name>&seat=0|1|2&id=<player id>`, tagged with their game); a roll
 * is the socket's frame at the gateway, one RPC to the game's object (which commits the roll and
 * returns its frames), one commit at the gateway (the last result it applied per game, as Hearth's
 * push ledger keeps per source) and the sends to the game's sockets on that gateway. The
 * `raw-seam-workerd-plain` target of the games bench; a game's three sockets share a gateway,
 * 100 sockets to a gateway, as Hearth's games usually do.
 */
import { DurableObject } from "cloudflare:workers";
import { closeBack, GameStore, isRoll, join, NOT_YOUR_TURN, roll, sendAll } from "./rawGame.ts";

interface SeamEnv {
  RAWSEAMGAME: DurableObjectNamespace<RawSeamGame>;
}

interface SeatAt {
  game: string;
  seat: number;
  id: number;
}

/** The game's object: no sockets, two RPC methods. */
export class RawSeamGame extends DurableObject {
  private readonly store: GameStore;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.store = new GameStore(ctx.storage);
  }

  join(seat: number, id: number): string[] {
    const frames = join(this.store.load(), this.ctx.id.name ?? "", seat, id);
    this.store.commit(frames);
    return frames;
  }

  /** The roll's frames (committed before the answer leaves: the output gate), or null out of turn. */
  roll(seat: number): string[] | null {
    const frames = roll(this.store.load(), this.ctx.id.name ?? "", seat);
    if (frames) this.store.commit(frames);
    return frames;
  }
}

/** Holds sockets; sends each game's frames to the game's sockets here. */
export class RawSeamGateway extends DurableObject<SeamEnv> {
  private readonly sql: SqlStorage;
  private readonly games = new Map<string, DurableObjectStub<RawSeamGame>>();

  constructor(ctx: DurableObjectState, env: SeamEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS applied (game TEXT PRIMARY KEY, n INTEGER NOT NULL)");
  }

  private stub(game: string): DurableObjectStub<RawSeamGame> {
    let s = this.games.get(game);
    if (!s) this.games.set(game, (s = this.env.RAWSEAMGAME.get(this.env.RAWSEAMGAME.idFromName(game))));
    return s;
  }

  /** The game's frames to its sockets here, after one ledger write (as Hearth's gateway records each push). */
  private apply(game: string, frames: string[]): void {
    this.sql.exec("INSERT INTO applied (game, n) VALUES (?, 1) ON CONFLICT (game) DO UPDATE SET n = n + 1", game);
    sendAll(this.ctx.getWebSockets(game), frames);
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("WebSocket upgrades only", { status: 426 });
    const url = new URL(request.url);
    const game = url.searchParams.get("game") ?? "";
    const seat = Number(url.searchParams.get("seat"));
    const id = Number(url.searchParams.get("id"));
    if (!game || ![0, 1, 2].includes(seat) || !Number.isSafeInteger(id)) return new Response("game=<name>&seat=0|1|2&id=<integer>", { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [game]);
    server.serializeAttachment({ game, seat, id } satisfies SeatAt);
    const frames = await this.stub(game).join(seat, id);
    if (frames.length) this.apply(game, frames);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (!isRoll(message)) return;
    const { game, seat } = ws.deserializeAttachment() as SeatAt;
    const frames = await this.stub(game).roll(seat);
    if (!frames) return ws.send(NOT_YOUR_TURN);
    this.apply(game, frames);
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    closeBack(ws, code);
  }
}
