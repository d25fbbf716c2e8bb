import { HearthClientError } from "@hearth/client";
import { clear, h } from "./dom";
import type { DemoContext, RunningSession } from "./session";
import { connect } from "./session";

/** The seed 001 shapes the demo reads (src/systems/campaign). */
type StructuredData = Record<string, unknown>;
interface OnlinePlayer {
  user_id: string;
  username: string;
}
interface CampaignView {
  campaign_id: string;
  dm_user_id: string;
  active: boolean;
  structured_data: StructuredData | null;
  online: { dm: boolean; players: OnlinePlayer[] };
}
interface CampaignFrame {
  type: string;
  seq?: number;
  timestamp?: string;
  campaign_id?: string;
  structured_data?: StructuredData;
  user_id?: string;
  username?: string;
  status?: string;
  code?: string;
  message?: string;
}
type OutFrame = { type: string } & Record<string, unknown>;

/** The fields the seed's PlayerPage shows (its `transformStructuredData`). */
const FIELDS = ["narrative", "turn", "status", "characters", "environmental_conditions", "immediate_threats", "story_progression"] as const;
/** What the DM's form edits. */
const EDITED = ["narrative", "turn", "status", "immediate_threats"] as const;

/** Creates a campaign with this tab's user as DM, or opens one by id (as its DM or as a player). */
export async function startCampaign(ctx: DemoContext, how: { create: true } | { campaignId: string }): Promise<{ campaignId: string; session: RunningSession }> {
  let campaignId: string;
  let dm: string;
  if ("create" in how) {
    campaignId = `camp-${crypto.randomUUID().slice(0, 8)}`;
    dm = ctx.identity.sub;
    await ctx.api.request("POST", "/api/campaigns", { campaign_id: campaignId, dm_user_id: dm });
  } else {
    campaignId = how.campaignId;
    // Asking first gives a clear message for an unknown campaign (the socket would close 4004).
    dm = (await ctx.api.request<CampaignView>("GET", `/api/campaigns/${encodeURIComponent(campaignId)}`)).dm_user_id;
  }
  return { campaignId, session: new CampaignSession(ctx, campaignId, dm === ctx.identity.sub) };
}

class CampaignSession implements RunningSession {
  private view: CampaignView | undefined;
  private statuses = new Map<string, string>();
  private readonly socket;
  private readonly badge = h("span", { class: "chip", "data-testid": "campaign-badge" }, "Reconnecting...");

  constructor(
    private readonly ctx: DemoContext,
    campaignId: string,
    private readonly asDm: boolean,
  ) {
    this.socket = connect<CampaignFrame, OutFrame>(ctx, { url: `/ws/campaign/${asDm ? "dm" : "player"}`, params: { campaign: campaignId } });
    // The seed's ConnectionStatus: "Live" while connected, "Reconnecting..." otherwise.
    this.socket.on("state", (state) => {
      this.badge.textContent = state === "live" ? "Live" : "Reconnecting...";
      this.badge.dataset.live = String(state === "live");
    });
    this.socket.on("snapshot", (s) => {
      this.view = s.state as CampaignView;
      this.renderState();
    });
    this.socket.on("frame", (frame) => this.onFrame(frame));
    this.renderState();
    this.renderActions();
  }

  close(): void {
    this.socket.close();
  }

  private onFrame(frame: CampaignFrame): void {
    const v = this.view;
    switch (frame.type) {
      case "campaign_active":
      case "campaign_loaded":
      case "campaign_updated":
        if (v) this.view = { ...v, active: true, structured_data: frame.structured_data ?? null };
        break;
      case "campaign_deactivated":
        if (v) this.view = { ...v, active: false };
        break;
      case "player_joined":
        if (v && frame.user_id) this.view = { ...v, online: { ...v.online, players: [...v.online.players.filter((p) => p.user_id !== frame.user_id), { user_id: frame.user_id, username: frame.username ?? frame.user_id }] } };
        break;
      case "player_left":
        if (v) this.view = { ...v, online: { ...v.online, players: v.online.players.filter((p) => p.user_id !== frame.user_id) } };
        break;
      case "player_status":
        if (frame.user_id && frame.status) this.statuses.set(frame.user_id, frame.status);
        break;
      case "error":
        this.ctx.actionError(`${String(frame.code)}: ${String(frame.message)}`);
        this.ctx.log.note("error", `${String(frame.code)}: ${String(frame.message)}`, "error");
        return;
      case "heartbeat":
        return;
    }
    const who = frame.username ?? frame.user_id ?? "";
    const text =
      frame.type === "player_status"
        ? `${who} is ${String(frame.status)}`
        : frame.type.startsWith("player_")
          ? `${who} ${frame.type === "player_joined" ? "joined" : "left"}`
          : `${frame.type.replace("campaign_", "campaign ")}${frame.structured_data?.narrative ? `: ${String(frame.structured_data.narrative)}` : ""}`;
    const entry = { tag: frame.type, at: frame.timestamp, body: h("span", {}, text), data: { type: frame.type, text } };
    if (typeof frame.seq === "number") this.ctx.log.frame(frame.seq, entry);
    else this.ctx.log.note(frame.type, text);
    this.renderState();
  }

  private send(frame: OutFrame): void {
    this.ctx.actionError(null);
    try {
      this.socket.sendCommand(frame).catch((error: unknown) => {
        // A refusal also arrives as an error frame, which onFrame shows.
        if (error instanceof HearthClientError && error.code === "COMMAND_REJECTED") return;
        this.ctx.actionError(String(error));
      });
    } catch (error) {
      this.ctx.actionError(String(error));
    }
  }

  private renderState(): void {
    const el = this.ctx.state;
    clear(el);
    const v = this.view;
    el.append(h("p", {}, "Connection: ", this.badge));
    if (!v) {
      el.append(h("p", { class: "muted" }, "Waiting for the first snapshot…"));
      return;
    }
    if (!v.active) {
      el.append(
        h("div", { "data-testid": "no-campaign" }, h("h3", {}, "No Active Campaign"), h("p", { class: "muted" }, "Waiting for DM to load a campaign. You'll be automatically connected when a campaign starts.")),
      );
    } else {
      const data = v.structured_data ?? {};
      el.append(
        h("dl", { class: "facts", "data-testid": "campaign-data" }, ...FIELDS.flatMap((f) => [h("dt", {}, f.replace(/_/g, " ")), h("dd", { "data-testid": `cd-${f}` }, typeof data[f] === "string" ? (data[f] as string) : "")])),
      );
    }
    if (this.asDm) {
      el.append(
        h("h3", {}, `Players online (${v.online.players.length})`),
        h(
          "ul",
          { class: "players", "data-testid": "players" },
          ...v.online.players.map((p) =>
            h("li", { class: "online", "data-player": p.user_id, "data-status": this.statuses.get(p.user_id) ?? "" }, h("span", { class: "dot" }), p.username, this.statuses.has(p.user_id) ? h("span", { class: "chip" }, this.statuses.get(p.user_id)!) : null),
          ),
        ),
      );
    }
  }

  private renderActions(): void {
    const el = this.ctx.actions;
    clear(el);
    if (!this.asDm) {
      el.append(
        h("div", { class: "action-title" }, "Tell the DM ", h("span", { class: "muted" }, "(player_status)")),
        h("div", { class: "row" }, ...(["ready", "typing", "away"] as const).map((status) => h("button", { type: "button", "data-testid": `status-${status}`, onclick: () => this.send({ type: "player_status", status }) }, status))),
      );
      return;
    }
    const inputs = Object.fromEntries(EDITED.map((f) => [f, h("input", { placeholder: f.replace(/_/g, " "), maxlength: 2000, autocomplete: "off", "data-testid": `dm-${f}`, "aria-label": f })])) as Record<(typeof EDITED)[number], HTMLInputElement>;
    const data = () => Object.fromEntries(EDITED.flatMap((f) => (inputs[f].value.trim() ? [[f, inputs[f].value.trim()]] : [])));
    el.append(
      h("div", { class: "action-title" }, "Campaign data ", h("span", { class: "muted" }, "(sent over the DM socket)")),
      ...EDITED.map((f) => inputs[f]),
      h(
        "div",
        { class: "row" },
        h("button", { type: "button", class: "primary", "data-testid": "campaign-load", onclick: () => this.send({ type: "campaign_loaded", structured_data: data() }) }, "Load"),
        h("button", { type: "button", "data-testid": "campaign-update", onclick: () => this.send({ type: "campaign_updated", structured_data: data() }) }, "Update"),
        h("button", { type: "button", class: "ghost", "data-testid": "campaign-deactivate", onclick: () => this.send({ type: "campaign_deactivated" }) }, "Deactivate"),
      ),
    );
  }
}
