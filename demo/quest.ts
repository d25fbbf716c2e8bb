import harborWalk from "../examples/quests/harbor-walk.json";
import { ApiError, newKey } from "./api";
import { clear, h } from "./dom";
import type { DemoContext, RunningSession } from "./session";
import { connect } from "./session";

/** The parts of the quest snapshot (src/systems/quest/view.ts) the demo shows. */
interface QuestNode {
  id: string;
  kind: "audio" | "text" | "puzzle" | "action";
  scope: "session" | "player";
  status: "locked" | "unlocked" | "completed";
  failed: boolean;
  title?: string;
  text?: string;
  attempts?: { used: number; left: number | null };
  consensus?: { count: number; required: number; playerIds: string[] };
  players?: { done: number; total: number; playerIds: string[] };
  mine?: "todo" | "succeeded" | "failed" | "skipped";
}
interface QuestObject {
  id: string;
  index: number;
  status: "locked" | "available" | "arrived" | "completed";
  name?: string;
  description?: string;
  arrivedBy?: string[];
  nodes?: QuestNode[];
}
interface QuestSnapshot {
  sessionId: string;
  title: string;
  status: "active" | "completed";
  playerId: string | null;
  players: { playerId: string; playerName: string; online: boolean }[];
  objectsCompleted: number;
  objectsTotal: number;
  objects: QuestObject[];
}
interface Delta {
  type: string;
  playerId?: string;
  playerName?: string;
  objectId?: string;
  nodeId?: string;
  first?: boolean;
  correct?: boolean;
  attemptsLeft?: number | null;
  count?: number;
  required?: number;
  failed?: boolean;
  scope?: string;
  timestamp?: string;
}
interface QuestFrame {
  type: string;
  seq?: number;
  deltas?: Delta[];
  code?: string;
  message?: string;
  playerName?: string;
}
interface TeamResponse {
  teamCode: string;
  session: { sessionId: string; playerName: string; mode: string };
  websocketUrl: string;
}
interface EventResponse {
  success: true;
  snapshot: QuestSnapshot;
  deltas: Delta[];
  seq: number;
}

const QUEST_ID = harborWalk.questId;

/** Creates a team for the example quest (uploading the quest first), or joins one by code. */
export async function startQuest(ctx: DemoContext, how: { create: true } | { code: string }): Promise<{ code: string; session: RunningSession }> {
  const { api, identity } = ctx;
  let team: TeamResponse;
  if ("create" in how) {
    // Quest definitions need rooms:admin; PUT is an upsert, so every "create" may send it.
    await api.request("PUT", `/api/quests/${QUEST_ID}`, harborWalk, { asSetup: true });
    team = await api.request<TeamResponse>("POST", "/api/teams", { questId: QUEST_ID, playerName: identity.name, mode: "team" });
  } else {
    team = await api.request<TeamResponse>("POST", `/api/teams/${encodeURIComponent(how.code)}/join`, { playerName: identity.name });
  }
  const code = team.teamCode;
  return { code, session: new QuestSession(ctx, code, team.websocketUrl) };
}

class QuestSession implements RunningSession {
  private snapshot: QuestSnapshot | undefined;
  private snapshotSeq = -1;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly socket;
  private closed = false;

  constructor(
    private readonly ctx: DemoContext,
    private readonly code: string,
    websocketUrl: string,
  ) {
    this.socket = connect<QuestFrame, Record<string, unknown>>(ctx, {
      // The seed's socket: websocketUrl + "?teamCode=" + code (the SDK adds since/epoch on resume).
      url: websocketUrl,
      params: { teamCode: code },
      // Sent first on every connection, so membership survives reconnects.
      hello: () => ({ type: "join", sessionId: code, playerName: ctx.identity.name }),
    });
    // The socket's snapshot is authoritative (also after a history reset, when seq starts over).
    this.socket.on("snapshot", (s) => this.apply(s.state as QuestSnapshot, s.seq ?? 0, true));
    this.socket.on("frame", (frame) => this.onFrame(frame));
    this.render();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.refreshTimer);
    this.socket.close();
  }

  private onFrame(frame: QuestFrame): void {
    const { log } = this.ctx;
    switch (frame.type) {
      case "runtime_delta": {
        const deltas = frame.deltas ?? [];
        if (typeof frame.seq === "number") {
          log.frame(frame.seq, {
            tag: "runtime_delta",
            at: deltas[0]?.timestamp,
            body: h("ul", { class: "deltas" }, ...deltas.map((d) => h("li", {}, h("b", {}, d.type), " ", this.describe(d)))),
            data: { type: "runtime_delta", deltas: deltas.map((d) => d.type).join(",") },
          });
        }
        // Deltas say what changed; the snapshot says where things stand now (seed clients refresh too).
        this.scheduleRefresh();
        return;
      }
      case "joined":
        log.note("joined", `joined team ${this.code} as ${frame.playerName ?? this.ctx.identity.name}`);
        return;
      case "error":
        log.note("error", `${frame.code}: ${frame.message}`, "error");
        return;
      default:
        return; // player_state_update and future frames: not shown.
    }
  }

  /** Keeps the newest snapshot, whichever way it came (socket, event answer, refresh). */
  private apply(snapshot: QuestSnapshot, seq: number, authoritative = false): void {
    if (!authoritative && seq < this.snapshotSeq) return;
    this.snapshot = snapshot;
    this.snapshotSeq = seq;
    this.render();
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(async () => {
      if (this.closed) return;
      try {
        const fresh = await this.ctx.api.request<{ snapshot: QuestSnapshot; seq: number }>("GET", `/api/runtime/session/${this.code}`);
        this.apply(fresh.snapshot, fresh.seq);
      } catch (error) {
        this.ctx.log.note("refresh", `could not refresh the snapshot: ${String(error)}`, "warn");
      }
    }, 120);
  }

  /** One runtime event (or a batch) over HTTP, as this tab's player. */
  private async post(event: Record<string, unknown>): Promise<void> {
    this.ctx.actionError(null);
    try {
      const out = await this.ctx.api.request<EventResponse>("POST", `/api/runtime/session/${this.code}/events`, event, { idempotencyKey: newKey() });
      this.apply(out.snapshot, out.seq);
    } catch (error) {
      this.ctx.actionError(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error));
    }
  }

  // ---- rendering -----------------------------------------------------------

  private nameOf(playerId: string | undefined): string {
    if (playerId === undefined) return "the team";
    if (playerId === this.ctx.identity.sub) return "you";
    return this.snapshot?.players.find((p) => p.playerId === playerId)?.playerName ?? playerId;
  }

  /** A locked stop's name is not in the snapshot yet (the view hides it): say which stop it is. */
  private objectName(objectId: string | undefined): string {
    const object = this.snapshot?.objects.find((o) => o.id === objectId);
    return object?.name ?? (object ? `Stop ${object.index + 1}` : (objectId ?? "?"));
  }

  /** Likewise a node's title appears once it unlocks; until the next snapshot, name its kind and stop. */
  private nodeTitle(nodeId: string | undefined): string {
    for (const o of this.snapshot?.objects ?? []) {
      const node = o.nodes?.find((n) => n.id === nodeId);
      if (node) return node.title ? `“${node.title}”` : `the ${node.kind} step at ${this.objectName(o.id)}`;
    }
    return nodeId ?? "?";
  }

  private describe(d: Delta): string {
    const who = this.nameOf(d.playerId);
    const node = this.nodeTitle(d.nodeId);
    switch (d.type) {
      case "PLAYER_JOINED":
        return `${d.playerName ?? who} is online`;
      case "PLAYER_LEFT":
        return `${d.playerName ?? who} went offline`;
      case "PLAYER_REGISTERED":
        return `${d.playerName ?? who} joined the team`;
      case "OBJECT_AVAILABLE":
        return `${this.objectName(d.objectId)} is now available`;
      case "OBJECT_ARRIVED":
        return `${who} arrived at ${this.objectName(d.objectId)}${d.first ? " (first)" : ""}`;
      case "OBJECT_COMPLETED":
        return `${this.objectName(d.objectId)} completed`;
      case "NODE_UNLOCKED":
        return `${node} unlocked`;
      case "NODE_COMPLETED":
        return `${node} ${d.failed ? "closed (out of attempts)" : "completed"}${d.scope === "player" ? ` by ${who}` : ""}`;
      case "PUZZLE_SUBMITTED":
        return `${who} answered ${node}: ${d.correct ? "correct" : `wrong${d.attemptsLeft == null ? "" : `, ${d.attemptsLeft} left`}`}`;
      case "ACTION_ATTEMPTED":
        return `${who} is trying ${node}`;
      case "ACTION_SUCCESS":
        return `${who} succeeded at ${node}`;
      case "ACTION_FAIL":
        return `${who} failed ${node}`;
      case "CONSENSUS_UPDATED":
        return `${node}: ${d.count}/${d.required} players`;
      case "QUEST_COMPLETED":
        return "the quest is complete!";
      default:
        return "";
    }
  }

  private render(): void {
    this.renderState();
    this.renderActions();
  }

  private renderState(): void {
    const el = this.ctx.state;
    clear(el);
    const s = this.snapshot;
    if (!s) {
      el.append(h("p", { class: "muted" }, "Waiting for the first snapshot…"));
      return;
    }
    el.append(
      h(
        "div",
        { class: "state-head" },
        h("strong", {}, s.title),
        h("span", { class: `chip chip-${s.status}`, "data-testid": "quest-status" }, s.status),
        h("span", { class: "muted" }, `${s.objectsCompleted} / ${s.objectsTotal} stops · seq ${this.snapshotSeq}`),
      ),
      h(
        "ul",
        { class: "players", "data-testid": "players" },
        ...s.players.map((p) =>
          h(
            "li",
            { class: p.online ? "online" : "offline", "data-player": p.playerId },
            h("span", { class: "dot", title: p.online ? "online" : "offline" }),
            p.playerName,
            p.playerId === this.ctx.identity.sub ? h("span", { class: "muted" }, " (you)") : null,
          ),
        ),
      ),
      h(
        "ol",
        { class: "objects" },
        ...s.objects.map((o) =>
          h(
            "li",
            { class: `object status-${o.status}`, "data-object": o.id, "data-status": o.status },
            h("div", { class: "object-head" }, h("span", {}, o.name ?? `Stop ${o.index + 1}`), h("span", { class: `chip chip-${o.status}` }, o.status)),
            o.nodes && o.nodes.length > 0
              ? h(
                  "ul",
                  { class: "nodes" },
                  ...o.nodes.map((n) =>
                    h(
                      "li",
                      { class: `node status-${n.status}`, "data-node": n.id, "data-status": n.failed ? "failed" : n.status },
                      h("span", { class: "kind" }, n.kind),
                      h("span", { class: "title" }, n.title ?? "locked"),
                      h("span", { class: "muted" }, progressOf(n)),
                      h("span", { class: `chip chip-${n.failed ? "failed" : n.status}` }, n.failed ? "failed" : n.status),
                    ),
                  ),
                )
              : null,
          ),
        ),
      ),
    );
  }

  private renderActions(): void {
    const el = this.ctx.actions;
    // Every snapshot rebuilds the buttons; what you were typing (and where) survives it.
    const typed = new Map([...el.querySelectorAll<HTMLInputElement>("input[data-testid]")].map((i) => [i.dataset.testid, i.value]));
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.testid;
    clear(el);
    const s = this.snapshot;
    if (!s) {
      el.append(h("p", { class: "muted" }, "Connecting…"));
      return;
    }
    if (s.status === "completed") {
      el.append(h("p", { class: "done" }, "The team finished the walk. Well walked!"));
      return;
    }
    const me = this.ctx.identity.sub;
    const rows: HTMLElement[] = [];
    for (const o of s.objects) {
      if (o.status === "available" || (o.status === "arrived" && !o.arrivedBy?.includes(me))) {
        rows.push(this.button(`Arrive at ${o.name}`, `arrive-${o.id}`, { type: "OBJECT_ARRIVE", objectId: o.id }, "primary"));
      }
      for (const n of o.nodes ?? []) {
        if (n.status !== "unlocked" || n.mine === "succeeded" || n.mine === "failed") continue;
        if (n.consensus?.playerIds.includes(me)) {
          rows.push(h("p", { class: "muted" }, `“${n.title}”: you are counted (${n.consensus.count}/${n.consensus.required}); waiting for the team.`));
          continue;
        }
        rows.push(this.nodeActions(n));
      }
    }
    if (rows.length === 0) rows.push(h("p", { class: "muted" }, "Nothing to do right now; wait for the team."));
    el.append(...rows);
    for (const input of el.querySelectorAll<HTMLInputElement>("input[data-testid]")) {
      const value = typed.get(input.dataset.testid);
      if (value) input.value = value;
      if (input.dataset.testid === focused) input.focus();
    }
  }

  private nodeActions(n: QuestNode): HTMLElement {
    const title = n.title ?? n.id;
    switch (n.kind) {
      case "audio":
      case "text":
        return this.button(`${n.kind === "audio" ? "Finish listening to" : "Finish reading"} “${title}”`, `complete-${n.id}`, { type: "NODE_COMPLETE", nodeId: n.id });
      case "puzzle": {
        const input = h("input", { placeholder: "Your answer", autocomplete: "off", "data-testid": `answer-${n.id}`, "aria-label": `Answer for ${title}` });
        const form = h(
          "form",
          { class: "action puzzle" },
          h("div", { class: "action-title" }, title, n.text ? h("div", { class: "muted" }, n.text) : null),
          h("div", { class: "inline" }, input, h("button", { type: "submit", "data-testid": `submit-${n.id}` }, "Submit answer")),
        );
        form.addEventListener("submit", (event) => {
          event.preventDefault();
          const answer = input.value.trim();
          if (answer !== "") void this.post({ type: "PUZZLE_SUBMIT", nodeId: n.id, answer });
        });
        return form;
      }
      case "action":
        return h(
          "div",
          { class: "action" },
          h("div", { class: "action-title" }, title, n.text ? h("div", { class: "muted" }, n.text) : null),
          h(
            "div",
            { class: "row" },
            this.button("Try", `attempt-${n.id}`, { type: "ACTION_ATTEMPT", nodeId: n.id }, "ghost"),
            this.button("It worked", `success-${n.id}`, { type: "ACTION_RESULT", nodeId: n.id, success: true }, "primary"),
            this.button("It failed", `fail-${n.id}`, { type: "ACTION_RESULT", nodeId: n.id, success: false }, "ghost"),
          ),
        );
    }
  }

  private button(label: string, testId: string, event: Record<string, unknown>, variant?: string): HTMLButtonElement {
    const button = h("button", { type: "button", class: variant, "data-testid": testId }, label);
    button.addEventListener("click", async () => {
      button.disabled = true;
      await this.post(event);
      button.disabled = false;
    });
    return button;
  }
}

function progressOf(n: QuestNode): string {
  if (n.consensus) return `${n.consensus.count}/${n.consensus.required}`;
  if (n.players) return `${n.players.done}/${n.players.total}`;
  if (n.attempts && n.attempts.left !== null && n.status !== "completed") return `${n.attempts.left} ${n.attempts.left === 1 ? "try" : "tries"} left`;
  return "";
}
