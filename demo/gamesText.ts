/**
 * Seed 004 frames as sentences for people ("Ada 12 rolled 5", "Bram 40's turn",
 * "Ada 12 won 10-7"), with user ids turned into the usernames the frames carry.
 */
export type Id = string | number;
export type Frame = { type: string } & Record<string, unknown>;

/** `[user_id, username, score]`, seed 004's `final_scores` rows. */
type FinalScore = [Id, string, number];

/**
 * Who is who: every seed 004 frame that names a user carries its username next
 * to the id (players, room events, rolls, final scores, summaries), so the page
 * learns names from the frames themselves and never shows a raw id when one
 * was seen.
 */
export class Names {
  private readonly byId = new Map<string, string>();

  constructor(me: { sub: string; name: string }) {
    this.set(me.sub, me.name);
  }

  set(id: Id | null | undefined, name: unknown): void {
    if (id === null || id === undefined || typeof name !== "string" || name === "") return;
    this.byId.set(String(id), name);
  }

  /** The username, or "someone" for an id no frame has named yet (never the raw id). */
  of(id: Id | null | undefined): string {
    if (id === null || id === undefined) return "nobody";
    return this.byId.get(String(id)) ?? "someone";
  }

  /** Learns every name a frame carries. */
  learn(f: Frame): void {
    const people = (list: unknown) => {
      for (const p of (Array.isArray(list) ? list : []) as { user_id?: Id; username?: string }[]) this.set(p.user_id, p.username);
    };
    this.set(f.user_id as Id, f.username);
    this.set(f.host_id as Id, f.host_username);
    this.set(f.player_id as Id, f.player_username);
    this.set(f.winner_id as Id, f.winner_username);
    const player = f.player as { user_id?: Id; username?: string } | undefined;
    if (player) this.set(player.user_id, player.username);
    people(f.players);
    const room = f.room as { players?: unknown } | undefined;
    if (room) people(room.players);
    for (const summary of (Array.isArray(f.rooms) ? f.rooms : []) as { players?: unknown }[]) people(summary.players);
    for (const row of (Array.isArray(f.final_scores) ? f.final_scores : []) as FinalScore[]) this.set(row[0], row[1]);
  }
}

/** "10-7": the winner's score first, then the others'. */
export function scoreLine(finalScores: FinalScore[], winnerId: Id | null | undefined): string {
  const winner = finalScores.filter((r) => String(r[0]) === String(winnerId));
  const others = finalScores.filter((r) => String(r[0]) !== String(winnerId));
  return [...winner, ...others].map((r) => r[2]).join("-");
}

const STATUS_TEXT: Record<string, string> = { Waiting: "waiting for players", InProgress: "in progress", Finished: "finished", Abandoned: "abandoned" };
export const statusText = (status: string) => STATUS_TEXT[status] ?? status;

/**
 * One sentence per frame, or null for frames that say nothing to a person
 * (pong, auth's answer). Unknown frame types get their type in words, never JSON.
 */
export function describe(f: Frame, names: Names): string | null {
  const who = (key = "user_id") => names.of(f[key] as Id);
  switch (f.type) {
    case "room_created":
      return `${String(f.host_username)} opened the room “${String(f.room_name)}”`;
    case "rooms_updated":
      return (f.rooms as { room_name: string; status: string; player_count: number; max_players: number }[])
        .map((r) => `“${r.room_name}” is ${statusText(r.status)}${r.status === "Waiting" ? ` (${r.player_count}/${r.max_players} players)` : ""}`)
        .join("; ");
    case "room_list":
      return `${(f.rooms as unknown[]).length} open room${(f.rooms as unknown[]).length === 1 ? "" : "s"} in the lobby`;
    case "room_state": {
      const room = f.room as { room_name: string; status: string; turn_number: number };
      return `“${room.room_name}” is ${statusText(room.status)}${room.status === "InProgress" ? `, turn ${room.turn_number}` : ""}`;
    }
    case "room_joined":
      return `${names.of((f.player as { user_id: Id }).user_id)} joined “${String(f.room_name)}”`;
    case "player_ready":
      return `${who()} is ready`;
    case "player_left":
      return `${who()} left the room`;
    case "player_rejoined":
      return `${who()} is back`;
    case "player_disconnected":
      return `${who()} lost their connection`;
    case "spectator_joined":
      return `${who()} is watching`;
    case "spectator_left":
      return `${who()} stopped watching`;
    case "game_started": {
      const players = (f.players as { user_id: Id }[]).map((p) => names.of(p.user_id));
      return `Game on: ${players.join(" vs ")}. ${names.of(f.first_turn as Id)} rolls first`;
    }
    case "turn_changed":
      return f.current_turn === null ? "No one's turn" : `${names.of(f.current_turn as Id)}'s turn`;
    case "bigger_dice.rolled":
      return `${who("player_id")} rolled ${String(f.roll)}`;
    case "bigger_dice.round_result": {
      const round = typeof f.round === "number" ? `Round ${f.round}` : "The round";
      if (f.is_tie) return `${round} is a tie at ${String(f.player1_roll)}-${String(f.player2_roll)}`;
      const p1Won = String(f.winner_id) === String(f.player1_id);
      const [hi, lo] = p1Won ? [f.player1_roll, f.player2_roll] : [f.player2_roll, f.player1_roll];
      return `${who("winner_id")} won ${round.toLowerCase()}, ${String(hi)}-${String(lo)}`;
    }
    case "game_ended": {
      const scores = scoreLine(f.final_scores as FinalScore[], f.winner_id as Id);
      if (f.winner_id === null || f.winner_id === undefined) return `Game over, no winner (${scores})`;
      const loser = (f.final_scores as FinalScore[]).find((r) => String(r[0]) !== String(f.winner_id));
      const why = f.reason === "forfeit" ? `${loser?.[1] ?? "the other player"} forfeited: ` : f.reason === "timeout" ? `${loser?.[1] ?? "the other player"} ran out of time: ` : "";
      return `${why}${String(f.winner_username)} won ${scores}`;
    }
    case "error":
      return `${String(f.code)}: ${String(f.message)}`;
    case "pong":
    case "authenticated":
      return null;
    default:
      return f.type.replace(/[._]/g, " ");
  }
}
