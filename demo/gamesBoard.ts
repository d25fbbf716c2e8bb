import { h } from "./dom";
import { statusText, type Id, type Names } from "./gamesText";

/** The seed 004 GameRoom and GamePlayer fields the board reads (src/systems/games/wire.ts). */
export interface GamePlayer {
  user_id: Id;
  username: string;
  score: number;
  is_ready: boolean;
  is_connected?: boolean;
}
export interface GameRoom {
  room_id: string;
  room_name: string;
  status: string;
  players: GamePlayer[];
  spectators: Id[];
  spectator_names?: string[];
  current_turn: Id | null;
  turn_number: number;
  winner_id?: Id | null;
  max_players?: number;
}

export interface BoardView {
  room: GameRoom;
  role: "player" | "spectator";
  me: string;
  names: Names;
  /** Each player's last roll this game, by user id. */
  lastRolls: Map<string, number>;
  /** The final score line ("10-7") once the game ended. */
  result: string | null;
}

const same = (a: Id | null | undefined, b: Id | null | undefined) => a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b);

/** One line saying where the game stands: whose turn it is, or who won. */
function standing(v: BoardView): string {
  const { room, names } = v;
  if (room.status === "Finished") {
    // From a room_state (a rejoin after the end) there was no game_ended to read the line from.
    const result = v.result ?? [...room.players].sort((a, b) => Number(same(b.user_id, room.winner_id)) - Number(same(a.user_id, room.winner_id))).map((p) => p.score).join("-");
    return room.winner_id !== null && room.winner_id !== undefined ? `${names.of(room.winner_id)} won ${result}` : `Game over (${result})`;
  }
  if (room.status === "Abandoned") return "Everyone left: the room was abandoned";
  if (room.status === "Waiting") {
    const seats = `${room.players.length}/${room.max_players ?? 2} players`;
    return room.players.length < (room.max_players ?? 2) ? `Waiting for players (${seats})` : "Waiting for everyone to be ready";
  }
  if (room.current_turn === null) return "Between turns";
  return same(room.current_turn, v.me) ? `Your turn, ${names.of(v.me)}: roll!` : `${names.of(room.current_turn)}'s turn`;
}

/**
 * The game board: the room, a line saying whose turn it is (or who won), and
 * one card per player with their name, score and last roll. The room heading
 * keeps `data-status`/`data-role` for tests.
 */
export function board(v: BoardView): HTMLElement {
  const { room, names } = v;
  const watchers = room.spectator_names?.length ? room.spectator_names : room.spectators.map((s) => names.of(s));
  return h(
    "section",
    { class: "board", "data-testid": "games-board" },
    h(
      "h3",
      { "data-testid": "games-room", "data-status": room.status, "data-role": v.role },
      `${room.room_name} · ${v.role === "player" ? "you play" : "you watch"} · ${statusText(room.status)}${room.status === "InProgress" ? ` · turn ${room.turn_number}` : ""}`,
    ),
    h("p", { class: "board-turn", "data-testid": "games-turn", "data-status": room.status }, standing(v)),
    h(
      "ol",
      { class: "board-players" },
      ...room.players.map((p) => {
        const turn = room.status === "InProgress" && same(room.current_turn, p.user_id);
        const won = room.status === "Finished" && same(room.winner_id, p.user_id);
        const last = v.lastRolls.get(String(p.user_id));
        const flags = [same(p.user_id, v.me) ? "you" : "", room.status === "Waiting" ? (p.is_ready ? "ready" : "not ready") : "", p.is_connected === false ? "disconnected" : ""].filter(Boolean);
        return h(
          "li",
          { class: "board-player", "data-testid": "games-player", "data-user": String(p.user_id), "data-turn": String(turn), "data-won": String(won), "data-score": p.score },
          h("span", { class: "board-name", "data-testid": "games-player-name" }, p.username, turn ? h("span", { class: "board-mark", title: "to roll" }, " ▶ to roll") : "", won ? h("span", { class: "board-mark" }, " ★ winner") : ""),
          h("span", { class: "board-score", "data-testid": "games-player-score", title: "rounds won (first to 10)" }, p.score),
          h("small", { class: "muted" }, [last === undefined ? "" : `last roll ${last}`, ...flags].filter(Boolean).join(" · ")),
        );
      }),
    ),
    h("p", { class: "muted board-foot" }, `bigger_dice: each round both roll 1d6, the higher roll scores a point; first to 10 wins.${watchers.length ? ` Watching: ${watchers.join(", ")}.` : ""}`),
  );
}
