/**
 * The games bench's floor on workerd (`raw-workerd` in bench/gamesServers.mjs): seed 004's
 * bigger_dice with no Hearth code. One hibernating Durable Object per game holds the game's three
 * sockets itself (2 players, 1 spectator: `/raw-games/:game?seat=0|1|2&id=<player id>`); a roll is
 * one `webSocketMessage`, one SQLite transaction (the roll's frames as log rows and the game's
 * state, as durable as Hearth's roll) and a `send` of each frame to the three sockets. Nothing is
 * verified, no lobby, no second object, no gateway: what the platform costs for the game's traffic
 * when every roll is kept. A finished game is not reused: the client opens a new one (a new object),
 * as Colyseus's client joins a new room.
 *
 * Frames (the seed's names and fields): `turn_changed {room_id, current_turn}` once both players
 * are in, then after every roll; `bigger_dice.rolled {room_id, player_id, roll, new_score}`;
 * `bigger_dice.round_result {...}` after every second roll; `game_ended {room_id, winner_id}` at 10
 * points. A roll out of turn gets `error {code: "NOT_YOUR_TURN"}` on that socket alone.
 */
import { DurableObject } from "cloudflare:workers";

const WINNING_SCORE = 10;

export interface Game {
  ids: [number | null, number | null];
  scores: [number, number];
  turn: 0 | 1;
  rolls: [number | null, number | null];
  round: number;
  started: boolean;
  ended: boolean;
}

export interface Seat {
  seat: number;
  id: number;
}

/** The game's state and its log in one object's SQLite: what a roll commits, in one transaction. */
export class GameStore {
  private readonly sql: SqlStorage;
  private game: Game | null = null;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY AUTOINCREMENT, frame TEXT NOT NULL)");
    this.sql.exec("CREATE TABLE IF NOT EXISTS game (k INTEGER PRIMARY KEY, state TEXT NOT NULL)");
  }

  load(): Game {
    if (this.game) return this.game;
    const row = this.sql.exec<{ state: string }>("SELECT state FROM game WHERE k = 0").toArray()[0];
    this.game = row ? (JSON.parse(row.state) as Game) : { ids: [null, null], scores: [0, 0], turn: 0, rolls: [null, null], round: 0, started: false, ended: false };
    return this.game;
  }

  /** One transaction (the output gate holds the sends until it is durable): the frames' log rows and the state. */
  commit(frames: string[]): void {
    const game = this.load();
    this.storage.transactionSync(() => {
      for (const f of frames) this.sql.exec("INSERT INTO log (frame) VALUES (?)", f);
      this.sql.exec("INSERT INTO game (k, state) VALUES (0, ?) ON CONFLICT (k) DO UPDATE SET state = excluded.state", JSON.stringify(game));
    });
  }
}

/** A socket joins at `seat`: the frames to send everyone (`turn_changed` once both players are in). */
export function join(game: Game, roomId: string, seat: number, id: number): string[] {
  if (seat < 2) game.ids[seat] = id;
  if (game.started || game.ids[0] === null || game.ids[1] === null) return [];
  game.started = true;
  return [JSON.stringify({ type: "turn_changed", room_id: roomId, current_turn: game.ids[0] })];
}

/** The player at `seat` rolls: the frames to send everyone, or null when it isn't that seat's turn. */
export function roll(game: Game, roomId: string, seat: number): string[] | null {
  if (!game.started || game.ended || seat !== game.turn) return null;
  const me = game.turn;
  game.rolls[me] = 1 + Math.floor(Math.random() * 6);
  const frames: string[] = [];
  const rolled = { type: "bigger_dice.rolled", room_id: roomId, player_id: game.ids[me], roll: game.rolls[me], new_score: game.scores[me] };
  const [r0, r1] = game.rolls;
  if (r0 !== null && r1 !== null) {
    game.round++;
    const winner = r0 === r1 ? null : r0 > r1 ? 0 : 1;
    if (winner !== null) game.scores[winner]++;
    rolled.new_score = game.scores[me];
    frames.push(JSON.stringify(rolled));
    frames.push(JSON.stringify({ type: "bigger_dice.round_result", room_id: roomId, player1_id: game.ids[0], player1_roll: r0, player2_id: game.ids[1], player2_roll: r1, winner_id: winner === null ? null : game.ids[winner], is_tie: winner === null, round: game.round }));
    game.rolls = [null, null];
    if (winner !== null && game.scores[winner] >= WINNING_SCORE) {
      game.ended = true;
      frames.push(JSON.stringify({ type: "game_ended", room_id: roomId, winner_id: game.ids[winner] }));
    }
  } else {
    frames.push(JSON.stringify(rolled));
  }
  if (!game.ended) {
    game.turn = me === 0 ? 1 : 0;
    frames.push(JSON.stringify({ type: "turn_changed", room_id: roomId, current_turn: game.ids[game.turn] }));
  }
  return frames;
}

/** A socket's `bigger_dice.roll` frame? (`ping` and anything else: no.) */
export function isRoll(message: string | ArrayBuffer): boolean {
  if (typeof message !== "string") return false;
  try {
    return (JSON.parse(message) as { type?: unknown }).type === "bigger_dice.roll";
  } catch {
    return false;
  }
}

export const NOT_YOUR_TURN = JSON.stringify({ type: "error", code: "NOT_YOUR_TURN", message: "Not your turn." });

/** Sends each frame to each socket (one that is closing is skipped). */
export function sendAll(sockets: WebSocket[], frames: string[]): void {
  for (const ws of sockets) {
    for (const f of frames) {
      try {
        ws.send(f);
      } catch {
        // A socket that is closing.
      }
    }
  }
}

export function closeBack(ws: WebSocket, code: number): void {
  try {
    ws.close(code === 1005 || code === 1006 ? 1000 : code);
  } catch {
    // Already closed.
  }
}

export class RawGame extends DurableObject {
  private readonly store: GameStore;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.store = new GameStore(ctx.storage);
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("WebSocket upgrades only", { status: 426 });
    const url = new URL(request.url);
    const seat = Number(url.searchParams.get("seat"));
    const id = Number(url.searchParams.get("id"));
    if (![0, 1, 2].includes(seat) || !Number.isSafeInteger(id)) return new Response("seat=0|1|2&id=<integer>", { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ seat, id } satisfies Seat);
    const frames = join(this.store.load(), this.ctx.id.name ?? this.ctx.id.toString(), seat, id);
    this.store.commit(frames);
    sendAll(this.ctx.getWebSockets(), frames);
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    if (!isRoll(message)) return;
    const { seat } = ws.deserializeAttachment() as Seat;
    const frames = roll(this.store.load(), this.ctx.id.name ?? this.ctx.id.toString(), seat);
    if (!frames) return ws.send(NOT_YOUR_TURN);
    this.store.commit(frames);
    sendAll(this.ctx.getWebSockets(), frames);
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    closeBack(ws, code);
  }
}
