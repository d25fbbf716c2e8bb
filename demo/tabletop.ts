import { HearthClientError } from "@hearth/client";
import { clear, h } from "./dom";
import type { LogEntry } from "./log";
import type { DemoContext, RunningSession } from "./session";
import { connect } from "./session";
import type { DiceRoll as ServerDiceRoll } from "../src/systems/tabletop/dice";

/** The seed 002 shapes the demo reads (src/systems/tabletop). */
interface Player {
  user_id: string;
  username: string;
  character_name?: string;
  is_dm: boolean;
}
interface TabletopView {
  session_id: string;
  campaign_id: string | number;
  dm_user_id: string;
  players: Player[];
  you: { user_id: string; is_dm: boolean; in_room: boolean };
}
interface EventFrame {
  event: string;
  data: Record<string, unknown>;
  seq?: number;
}
/** The server's roll (the kind's own type), as a `dice_roll` frame carries it. */
type DiceRoll = Omit<ServerDiceRoll, "terms"> & { label?: string };
type OutFrame = { event: string; data: Record<string, unknown> };

const CAMPAIGN = "hearth-demo";

/** Creates a session with this tab's user as DM, or joins one by id. */
export async function startTabletop(ctx: DemoContext, how: { create: true } | { sessionId: string }): Promise<{ sessionId: string; session: RunningSession }> {
  let sessionId: string;
  if ("create" in how) {
    ({ session_id: sessionId } = await ctx.api.request<{ session_id: string }>("POST", "/api/sessions", { campaign_id: CAMPAIGN, dm_user_id: ctx.identity.sub }));
  } else {
    sessionId = how.sessionId;
    // The socket route answers an unknown session with close 4004; asking first gives a clearer message.
    await ctx.api.request("GET", `/api/sessions/${encodeURIComponent(sessionId)}`);
  }
  return { sessionId, session: new TabletopSession(ctx, sessionId) };
}

class TabletopSession implements RunningSession {
  private view: TabletopView | undefined;
  private players: Player[] = [];
  private renderedAsDm: boolean | undefined;
  private readonly socket;

  constructor(
    private readonly ctx: DemoContext,
    private readonly sessionId: string,
  ) {
    this.socket = connect<EventFrame, OutFrame>(ctx, {
      url: `/ws/game/${encodeURIComponent(sessionId)}`,
      params: { character_name: ctx.identity.name },
    });
    this.socket.on("snapshot", (s) => {
      this.view = s.state as TabletopView;
      this.players = this.view.players;
      this.renderState();
      // Re-render the forms only when the role changes, so a reconnect never eats what you typed.
      if (this.view.you.is_dm !== this.renderedAsDm) this.renderActions();
    });
    this.socket.on("frame", (frame) => this.onFrame(frame));
    this.renderState();
    this.renderActions();
  }

  close(): void {
    this.socket.close();
  }

  private onFrame(frame: EventFrame): void {
    const { log } = this.ctx;
    const data = frame.data ?? {};
    switch (frame.event) {
      case "history":
        // The newest logged frames from before we joined, oldest first.
        for (const entry of (data.entries as EventFrame[] | undefined) ?? []) {
          const line = this.describe(entry);
          if (line && typeof entry.seq === "number") log.backfill(entry.seq, line);
        }
        return;
      case "room_joined":
      case "player_list":
        this.players = (data.players as Player[] | undefined) ?? this.players;
        this.renderState();
        return;
      case "player_joined":
        this.players = [...this.players.filter((p) => p.user_id !== (data.player as Player).user_id), data.player as Player];
        break;
      case "player_left":
        this.players = this.players.filter((p) => p.user_id !== (data.player as Player).user_id);
        break;
      case "error":
        this.ctx.actionError(`${String(data.code)}: ${String(data.message)}`);
        log.note("error", `${String(data.code)}: ${String(data.message)}`, "error");
        return;
      case "pong":
      case "room_left":
        return;
    }
    const line = this.describe(frame);
    if (line && typeof frame.seq === "number") log.frame(frame.seq, line);
    else if (line) log.note(frame.event, line.body);
    if (frame.event === "player_joined" || frame.event === "player_left") this.renderState();
  }

  /** How one tabletop frame reads in the log; undefined for frames the demo doesn't show. */
  private describe(frame: EventFrame): LogEntry | undefined {
    const data = frame.data ?? {};
    const player = data.player as Player | undefined;
    const who = player ? h("b", { class: player.is_dm ? "dm" : "" }, player.username) : "someone";
    const at = typeof data.timestamp === "string" ? data.timestamp : undefined;
    const entry = (body: Node, extra: Record<string, string> = {}): LogEntry => ({ tag: frame.event, at, body, data: { type: frame.event, ...extra } });
    switch (frame.event) {
      case "chat_message":
        return entry(h("span", {}, who, ": ", String(data.message)), { text: String(data.message) });
      case "dice_roll": {
        const roll = data as unknown as DiceRoll;
        const dice = roll.rolls.map((r, i) => h("span", { class: roll.kept.length < roll.rolls.length && !keptAt(roll, i) ? "die dropped" : "die" }, String(r)));
        return entry(
          h(
            "span",
            {},
            who,
            ` rolled ${roll.formula}${roll.label ? ` (${roll.label})` : ""} = `,
            h("b", { class: "roll-result" }, String(roll.result)),
            " ",
            h("span", { class: "dice" }, ...dice),
            roll.modifier ? ` ${roll.modifier > 0 ? "+" : "−"}${Math.abs(roll.modifier)}` : "",
          ),
          { result: String(roll.result) },
        );
      }
      case "dm_narration":
        return entry(h("span", { class: "narration" }, String(data.narration)), { text: String(data.narration) });
      case "player_joined":
        return entry(h("span", {}, who, " joined the table"));
      case "player_left":
        return entry(h("span", {}, who, " left the table"));
      case "whisper":
        return entry(h("span", {}, who, ` whispers to ${String(data.to_user_id)}: `, h("i", {}, String(data.message))));
      case "player_action":
        return entry(h("span", {}, who, ` does ${String((data.action as { action_type?: string } | undefined)?.action_type ?? "something")}`));
      case "combat_update":
        return entry(h("span", {}, `combat ${(data.combat as { active?: boolean } | undefined)?.active ? "is on" : "ended"}`));
      case "turn_change":
        return entry(h("span", {}, "next turn"));
      default:
        return undefined;
    }
  }

  /** Commands carry an id: resent after a reconnect until acked, applied once. */
  private send(event: string, data: Record<string, unknown>): void {
    this.ctx.actionError(null);
    try {
      this.socket.sendCommand({ event, data }).catch((error: unknown) => {
        // A refusal also arrives as an error frame, which onFrame shows.
        if (error instanceof HearthClientError && error.code === "COMMAND_REJECTED") return;
        this.ctx.actionError(String(error));
      });
    } catch (error) {
      this.ctx.actionError(String(error)); // QUEUE_FULL / CLOSED
    }
  }

  private renderState(): void {
    const el = this.ctx.state;
    clear(el);
    const v = this.view;
    if (!v) {
      el.append(h("p", { class: "muted" }, "Waiting for the first snapshot…"));
      return;
    }
    const dm = this.players.find((p) => p.user_id === v.dm_user_id);
    el.append(
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Campaign"),
        h("dd", {}, String(v.campaign_id)),
        h("dt", {}, "DM"),
        h("dd", {}, dm ? dm.username : `${v.dm_user_id} (away)`),
        h("dt", {}, "You"),
        h("dd", { "data-testid": "role" }, v.you.is_dm ? "the DM" : "a player"),
      ),
      h("h3", {}, `At the table (${this.players.length})`),
      h(
        "ul",
        { class: "players", "data-testid": "players" },
        ...this.players.map((p) =>
          h(
            "li",
            { class: "online", "data-player": p.user_id },
            h("span", { class: "dot" }),
            p.username,
            p.is_dm ? h("span", { class: "chip chip-dm" }, "DM") : null,
            p.user_id === this.ctx.identity.sub ? h("span", { class: "muted" }, " (you)") : null,
          ),
        ),
      ),
    );
  }

  private renderActions(): void {
    const el = this.ctx.actions;
    clear(el);
    this.renderedAsDm = this.view?.you.is_dm;
    const chatInput = h("input", { placeholder: "Say something", maxlength: 2000, autocomplete: "off", "data-testid": "chat-input", "aria-label": "Chat message" });
    const chat = h("form", { class: "action" }, h("div", { class: "action-title" }, "Chat"), h("div", { class: "inline" }, chatInput, h("button", { type: "submit", class: "primary", "data-testid": "chat-send" }, "Send")));
    chat.addEventListener("submit", (event) => {
      event.preventDefault();
      const message = chatInput.value.trim();
      if (message === "") return;
      this.send("chat_message", { message });
      chatInput.value = "";
    });

    const formula = h("input", { value: "1d20+3", maxlength: 100, autocomplete: "off", "data-testid": "dice-formula", "aria-label": "Dice formula" });
    const label = h("input", { placeholder: "for… (optional)", maxlength: 200, autocomplete: "off", "data-testid": "dice-label", "aria-label": "Roll label" });
    const dice = h(
      "form",
      { class: "action" },
      h("div", { class: "action-title" }, "Dice ", h("span", { class: "muted" }, "(rolled by the server)")),
      h("div", { class: "inline" }, formula, label, h("button", { type: "submit", "data-testid": "dice-roll" }, "Roll")),
      h(
        "div",
        { class: "row quick" },
        ...["1d20", "2d20kh1", "4d6kh3", "2d6+1"].map((f) => h("button", { type: "button", class: "ghost small", onclick: () => this.send("dice_roll", { formula: f }) }, f)),
      ),
    );
    dice.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = label.value.trim();
      this.send("dice_roll", { formula: formula.value, ...(text ? { label: text } : {}) });
    });
    el.append(chat, dice);

    if (this.view?.you.is_dm) {
      const narration = h("textarea", { rows: 2, placeholder: "The tavern falls silent…", maxlength: 8000, "data-testid": "narration-input", "aria-label": "Narration" });
      const form = h("form", { class: "action" }, h("div", { class: "action-title" }, "Narrate ", h("span", { class: "muted" }, "(DM only)")), narration, h("div", { class: "row" }, h("button", { type: "submit", "data-testid": "narrate" }, "Narrate")));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const text = narration.value.trim();
        if (text === "") return;
        this.send("dm_narration", { narration: text });
        narration.value = "";
      });
      el.append(form);
    } else if (this.view) {
      el.append(h("p", { class: "muted" }, "Only the DM narrates; you are a player at this table."));
    }
  }
}

/** Whether die `i` of `rolls` counted (kept lists the counted dice in roll order). */
function keptAt(roll: DiceRoll, i: number): boolean {
  let k = 0;
  for (let j = 0; j < roll.rolls.length && k < roll.kept.length; j++) {
    if (roll.rolls[j] === roll.kept[k]) {
      if (j === i) return true;
      k++;
    }
  }
  return false;
}
