import { clear, h } from "./dom";
import { board, type GamePlayer, type GameRoom } from "./gamesBoard";
import { describe, Names, scoreLine, statusText, type Frame, type Id } from "./gamesText";
import type { DemoContext, RunningSession } from "./session";
import { connect } from "./session";

/** The seed 004 room summary the lobby list reads (src/systems/games/README.md). */
interface Summary {
  room_id: string;
  room_name: string;
  status: string;
  host_username: string;
  player_count: number;
  max_players: number;
  spectator_count: number;
}

/** Frames the lobby sends to sockets browsing the list, in the lobby's own seq order (docs/protocol.md). */
const LOBBY_WIDE = new Set(["room_created", "rooms_updated"]);

/** Opens the games lobby (seed 004): one socket to browse, play and watch. */
export async function startGames(ctx: DemoContext): Promise<{ session: RunningSession }> {
  return { session: new GamesSession(ctx) };
}

class GamesSession implements RunningSession {
  private rooms = new Map<string, Summary>();
  /** The room shown: the one we play in or watch. */
  private room: GameRoom | null = null;
  private role: "player" | "spectator" | null = null;
  private readonly socket;
  /** A numeric sub travels as a number; compare as strings. */
  private readonly me: string;
  private readonly names: Names;
  /** The shown game's last roll per player, and its final score line once it ended. */
  private lastRolls = new Map<string, number>();
  private result: string | null = null;
  /**
   * The lobby sends list changes only to sockets browsing it (not seated, not watching): from
   * our first room_state on, the list may miss changes. The next rooms_updated proves the lobby
   * counts us as browsing again (a room we leave or that ends is always in one), so then we ask
   * for the whole list once.
   */
  private listStale = false;

  constructor(private readonly ctx: DemoContext) {
    this.me = ctx.identity.sub;
    this.names = new Names(ctx.identity);
    this.socket = connect<Frame, Frame>(ctx, { url: "/ws/games" });
    this.socket.on("snapshot", (s) => {
      // The snapshot lists the joinable rooms; the page shows every open room, so it asks for the
      // whole list, which also makes the lobby send it every change (not only the joinable rooms').
      const { rooms = [] } = s.state as { rooms?: Summary[] };
      this.names.learn({ type: "snapshot", rooms });
      this.rooms = new Map(rooms.map((r) => [r.room_id, r]));
      this.socket.send({ type: "list_rooms" });
      // After a reconnect, take our seat back (the seed's session recovery).
      if (this.room && this.role === "player") this.socket.send({ type: "rejoin_room", room_id: this.room.room_id });
      this.render();
    });
    this.socket.on("frame", (f) => this.onFrame(f));
    this.render();
  }

  close(): void {
    this.socket.close();
  }

  private send(frame: Frame): void {
    this.ctx.actionError(null);
    this.socket.send(frame);
  }

  private onFrame(f: Frame): void {
    const { log } = this.ctx;
    this.names.learn(f);
    switch (f.type) {
      case "room_created":
        this.rooms.set(f.room_id as string, { room_id: f.room_id, room_name: f.room_name, status: "Waiting", host_username: f.host_username, player_count: 1, max_players: 2, spectator_count: 0 } as Summary);
        break;
      case "rooms_updated":
        if (this.listStale) {
          this.listStale = false;
          this.socket.send({ type: "list_rooms" });
        }
        for (const summary of f.rooms as Summary[]) {
          if (summary.status === "Finished" || summary.status === "Abandoned") this.rooms.delete(summary.room_id);
          else this.rooms.set(summary.room_id, summary);
        }
        break;
      case "room_state":
        if (this.room?.room_id !== (f.room as GameRoom).room_id) this.newGame();
        this.room = f.room as GameRoom;
        this.listStale = true;
        this.role = this.room.players.some((p) => String(p.user_id) === this.me) ? "player" : "spectator";
        break;
      case "game_started":
        this.lastRolls.clear();
        this.result = null;
        if (this.room) this.room = { ...this.room, status: "InProgress", players: f.players as GamePlayer[], current_turn: f.first_turn as Id };
        break;
      case "turn_changed":
        if (this.room) this.room = { ...this.room, current_turn: f.current_turn as Id, turn_number: f.turn_number as number };
        break;
      case "bigger_dice.rolled":
        this.lastRolls.set(String(f.player_id), f.roll as number);
        if (this.room) this.room = { ...this.room, players: this.room.players.map((p) => (String(p.user_id) === String(f.player_id) ? { ...p, score: f.new_score as number } : p)) };
        break;
      case "game_ended":
        this.result = scoreLine(f.final_scores as [Id, string, number][], f.winner_id as Id);
        if (this.room) {
          // The final scores are the truth (a forfeit ends a game without a last roll).
          const final = new Map((f.final_scores as [Id, string, number][]).map(([id, , score]) => [String(id), score]));
          const players = this.room.players.map((p) => ({ ...p, score: final.get(String(p.user_id)) ?? p.score }));
          this.room = { ...this.room, status: "Finished", current_turn: null, winner_id: f.winner_id as Id | null, players };
        }
        break;
      case "room_joined":
      case "player_ready":
      case "player_left":
      case "player_rejoined":
      case "player_disconnected":
      case "spectator_joined":
      case "spectator_left":
        // Seats, ready flags and connections are patched in refreshPlayers; our own spectator_left ends the view.
        if (this.room && f.type === "spectator_left" && String(f.user_id) === this.me) {
          this.room = null;
          this.role = null;
        }
        break;
      case "error":
        this.ctx.actionError(`${String(f.code)}: ${String(f.message)}`);
        log.note("error", describe(f, this.names) ?? f.type, "error");
        return;
      case "pong":
      case "room_list":
        if (f.type === "room_list") this.rooms = new Map((f.rooms as Summary[]).map((r) => [r.room_id, r]));
        break;
    }
    this.logFrame(f);
    this.refreshPlayers(f);
    this.render();
  }

  /** A new room on screen: forget the last one's rolls and result. */
  private newGame(): void {
    this.lastRolls = new Map();
    this.result = null;
  }

  /**
   * One sentence per frame in the live log. Lobby-wide frames carry the lobby's
   * seq and go through the log's order checks; a game's events come from the
   * game's own stream (its own seq, or none), so they are counted as they come
   * rather than checked against the lobby's order.
   */
  private logFrame(f: Frame): void {
    const text = describe(f, this.names);
    if (text === null) return;
    const entry = { tag: f.type, body: text, data: { type: f.type, text, ...(typeof f.seq === "number" ? { streamSeq: String(f.seq) } : {}) } };
    if (LOBBY_WIDE.has(f.type) && typeof f.seq === "number") this.ctx.log.frame(f.seq, entry);
    else this.ctx.log.unsequenced(entry);
  }

  /** Keeps the shown room's player flags current from the small room events. */
  private refreshPlayers(f: Frame): void {
    if (!this.room || f.room_id !== this.room.room_id) return;
    const uid = f.user_id as Id | undefined;
    const set = (patch: Partial<GamePlayer>) => this.room && (this.room = { ...this.room, players: this.room.players.map((p) => (String(p.user_id) === String(uid) ? { ...p, ...patch } : p)) });
    if (f.type === "player_ready") set({ is_ready: true });
    if (f.type === "player_disconnected") set({ is_connected: false });
    if (f.type === "player_rejoined") set({ is_connected: true });
    if (f.type === "room_joined") this.room = { ...this.room, players: [...this.room.players, f.player as GamePlayer] };
    if (f.type === "player_left" && this.room.status === "Waiting") this.room = { ...this.room, players: this.room.players.filter((p) => String(p.user_id) !== String(uid)) };
  }

  private render(): void {
    const { actions, state } = this.ctx;
    clear(actions);
    const name = h("input", { placeholder: "Room name", maxlength: 64, "aria-label": "Room name", "data-testid": "games-room-name" });
    actions.append(
      h("form", { class: "inline", onsubmit: (e: Event) => (e.preventDefault(), this.send({ type: "create_room", game_type: "bigger_dice", room_name: name.value.trim() })) }, name, h("button", { type: "submit", "data-testid": "games-create" }, "Create bigger_dice room")),
    );
    const room = this.room;
    if (room && this.role === "player") {
      const myTurn = room.current_turn !== null && String(room.current_turn) === this.me;
      actions.append(
        h("button", { type: "button", disabled: room.status !== "Waiting", onclick: () => this.send({ type: "ready", room_id: room.room_id }), "data-testid": "games-ready" }, "Ready"),
        h("button", { type: "button", class: "primary", disabled: !myTurn, onclick: () => this.send({ type: "bigger_dice.roll", room_id: room.room_id }), "data-testid": "games-roll" }, myTurn ? "Roll!" : "Roll (not your turn)"),
        h("button", { type: "button", onclick: () => (this.send({ type: "leave_room", room_id: room.room_id }), (this.room = null), this.render()) }, room.status === "InProgress" ? "Leave (forfeit)" : "Leave room"),
      );
    } else if (room) {
      actions.append(h("button", { type: "button", onclick: () => this.send({ type: "leave_spectate", room_id: room.room_id }) }, "Stop watching"));
    }
    clear(state);
    const list = [...this.rooms.values()];
    state.append(
      h("h3", {}, "Lobby"),
      list.length === 0
        ? h("p", { class: "hint" }, "No open rooms yet: create one, then open this page in another tab to join it.")
        : h(
            "ul",
            { "data-testid": "games-rooms" },
            ...list.map((r) =>
              h(
                "li",
                {},
                h("b", { "data-testid": "games-room-title" }, r.room_name),
                ` · ${statusText(r.status)} · ${r.player_count}/${r.max_players} players · ${r.spectator_count} watching `,
                h("button", { type: "button", disabled: r.status !== "Waiting", onclick: () => this.send({ type: "join_room", room_name: r.room_name }), "data-testid": "games-join" }, "Join"),
                h("button", { type: "button", onclick: () => this.send({ type: "spectate", room_id: r.room_id }), "data-testid": "games-watch" }, "Watch"),
              ),
            ),
          ),
    );
    if (room && this.role) state.append(board({ room, role: this.role, me: this.me, names: this.names, lastRolls: this.lastRolls, result: this.result }));
  }
}
