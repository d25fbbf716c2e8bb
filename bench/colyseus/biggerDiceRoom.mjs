// Seed 004's bigger_dice as a Colyseus room, the way Colyseus's docs build a match: one room per
// game, plain messages (no schema state), the matchmaker for create/join. Same rules, event names
// and fields as Hearth's (src/systems/games/biggerDice.ts): two players roll 1d6 in turns; when
// both rolled the higher roll wins the round and a point (a tie gives none); first to 10 wins.
// A message's type is the seed's `type`, and its payload carries the seed's fields (with `type` and
// `room_id` repeated, so a frame reads the same on both servers). The user comes from the token
// (HS256 JWT, checked in onAuth), never from a message, as in Hearth.
import { Room, ServerError } from "@colyseus/core";
import { jwtVerify } from "jose";

export const WINNING_SCORE = 10;
const secret = new TextEncoder().encode(process.env.BENCH_JWT_SECRET ?? "bench-secret-not-for-production-0123456789abcdef");
/** The seed's i64 ids: a numeric `sub` is a number on the wire. */
const wireId = (sub) => (/^(0|[1-9]\d{0,14})$/.test(sub) ? Number(sub) : sub);

export class BiggerDiceRoom extends Room {
  maxClients = 3; // two players and one spectator, as the bench plays it

  static async onAuth(token) {
    if (!token) throw new ServerError(4001, "Invalid token");
    try {
      const { payload } = await jwtVerify(token, secret, { algorithms: ["HS256"] });
      return { userId: wireId(String(payload.sub)), username: String(payload.name ?? payload.sub) };
    } catch {
      throw new ServerError(4001, "Invalid token");
    }
  }

  onCreate(options) {
    this.setPatchRate(null); // no synchronized state: every frame is a message
    // The game, in one field of its own (Room has many of its own fields).
    this.g = {
      gameName: String(options.room_name ?? this.roomId),
      status: "Waiting",
      players: [], // { user_id, username, score, is_ready, client }
      spectators: [],
      currentTurn: null,
      turnNumber: 0,
      rolls: new Map(),
      round: 1,
    };
    this.setMetadata({ room_name: this.g.gameName });

    this.onMessage("ping", (client) => client.send("pong", { type: "pong" }));
    this.onMessage("ready", (client) => this.#ready(client));
    this.onMessage("bigger_dice.roll", (client) => this.#roll(client));
    this.onMessage("*", (client, type) => this.#error(client, "UNKNOWN_COMMAND", `Unknown message type ${type}.`));
  }

  onJoin(client, options, auth) {
    const me = { user_id: auth.userId, username: auth.username };
    if (options?.spectate) {
      this.g.spectators.push(me.user_id);
      this.#broadcast("spectator_joined", { user_id: me.user_id, username: me.username });
      client.send("room_state", { type: "room_state", room_id: this.roomId, room: this.#gameRoom() });
      return;
    }
    if (this.g.players.length >= 2) throw new ServerError(4009, "Room is full");
    const host = this.g.players.length === 0;
    this.g.players.push({ ...me, score: 0, is_ready: false, client });
    if (host) {
      client.send("room_created", { type: "room_created", room_id: this.roomId, room_name: this.g.gameName, game_type: "bigger_dice", host_id: me.user_id, host_username: me.username });
    } else {
      this.#broadcast("room_joined", { room_name: this.g.gameName, player: this.#player(this.g.players[1]) });
    }
    client.send("room_state", { type: "room_state", room_id: this.roomId, room: this.#gameRoom() });
  }

  onLeave(client) {
    const p = this.g.players.find((x) => x.client === client);
    if (p && this.g.status !== "Finished") {
      this.#broadcast("player_left", { user_id: p.user_id, username: p.username });
      this.g.status = "Abandoned";
    }
  }

  #ready(client) {
    const me = this.g.players.find((x) => x.client === client);
    if (!me) return this.#error(client, "NOT_A_PLAYER", "Spectators can't act");
    if (this.g.status !== "Waiting" || me.is_ready) return;
    me.is_ready = true;
    this.#broadcast("player_ready", { user_id: me.user_id, username: me.username });
    if (this.g.players.length === 2 && this.g.players.every((p) => p.is_ready)) {
      this.g.status = "InProgress";
      this.g.currentTurn = this.g.players[Math.floor(Math.random() * 2)].user_id;
      this.g.turnNumber = 1;
      this.#broadcast("game_started", { players: this.g.players.map((p) => this.#player(p)), first_turn: this.g.currentTurn });
      this.#broadcast("turn_changed", { current_turn: this.g.currentTurn, turn_number: this.g.turnNumber });
    }
  }

  #roll(client) {
    const me = this.g.players.find((x) => x.client === client);
    if (!me) return this.#error(client, "NOT_A_PLAYER", "Spectators can't act");
    if (this.g.status !== "InProgress") return this.#error(client, "GAME_NOT_STARTED", "The game is not in progress");
    if (me.user_id !== this.g.currentTurn) return this.#error(client, "NOT_YOUR_TURN", "It's not your turn to roll");
    const [p1, p2] = this.g.players;
    const other = me === p1 ? p2 : p1;
    const roll = 1 + Math.floor(Math.random() * 6);
    this.g.rolls.set(me.user_id, roll);
    const rolled = { player_id: me.user_id, player_username: me.username, roll, new_score: me.score };
    this.g.currentTurn = other.user_id;
    this.g.turnNumber++;
    if (!this.g.rolls.has(other.user_id)) {
      this.#broadcast("bigger_dice.rolled", rolled);
      return this.#broadcast("turn_changed", { current_turn: this.g.currentTurn, turn_number: this.g.turnNumber });
    }
    const r1 = this.g.rolls.get(p1.user_id);
    const r2 = this.g.rolls.get(p2.user_id);
    const winner = r1 === r2 ? null : r1 > r2 ? p1 : p2;
    if (winner) winner.score++;
    rolled.new_score = me.score;
    this.#broadcast("bigger_dice.rolled", rolled);
    this.#broadcast("bigger_dice.round_result", { player1_id: p1.user_id, player1_roll: r1, player2_id: p2.user_id, player2_roll: r2, winner_id: winner ? winner.user_id : null, is_tie: winner === null, round: this.g.round });
    this.g.rolls.clear();
    this.g.round++;
    if (winner && winner.score >= WINNING_SCORE) {
      this.g.status = "Finished";
      this.g.currentTurn = null;
      this.#broadcast("game_ended", { winner_id: winner.user_id, winner_username: winner.username, final_scores: this.g.players.map((p) => [p.user_id, p.username, p.score]) });
      return;
    }
    this.#broadcast("turn_changed", { current_turn: this.g.currentTurn, turn_number: this.g.turnNumber });
  }

  #broadcast(type, fields) {
    this.broadcast(type, { type, room_id: this.roomId, ...fields });
  }

  #error(client, code, message) {
    client.send("error", { type: "error", code, message, socket_id: client.sessionId });
  }

  #player(p) {
    return { user_id: p.user_id, username: p.username, avatar_id: null, score: p.score, is_ready: p.is_ready };
  }

  #gameRoom() {
    return {
      room_id: this.roomId,
      room_name: this.g.gameName,
      game_type: "bigger_dice",
      status: this.g.status,
      host_id: this.g.players[0]?.user_id ?? null,
      players: this.g.players.map((p) => this.#player(p)),
      spectators: this.g.spectators,
      current_turn: this.g.currentTurn,
      turn_number: this.g.turnNumber,
    };
  }
}
