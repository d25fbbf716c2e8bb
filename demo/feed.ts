import { isFeedEvent, type FeedEvent } from "@hearth/client";
import { SEED_EVENT_TYPES, type SeedEventType } from "../src/systems/feed/seedEventTypes";
import { newKey } from "./api";
import { clear, h } from "./dom";
import type { DemoContext, RunningSession } from "./session";
import { connect } from "./session";

type Frame = Record<string, unknown>;

/** Seed 003's example payload for each workflow step, for one tournament. */
function seedPayload(type: SeedEventType, tournamentId: string): Record<string, unknown> {
  const team = `team-${tournamentId}`;
  switch (type) {
    case "workflow.started":
      return { tournamentId, executionArn: `arn:aws:states:local:demo:execution:${tournamentId}` };
    case "tournament.registered":
      return { tournamentId, startTime: new Date(Date.now() + 6 * 3_600_000).toISOString() };
    case "players.assigned":
      return { tournamentId, teamId: team, assignedCount: 5 };
    case "teams.locked":
      return { tournamentId, teamId: team, status: "locked" };
  }
}

/** Subscribes this tab to the default feed; the buttons publish as a local service (dev tokens only). */
export function startFeed(ctx: DemoContext): RunningSession {
  return new FeedView(ctx);
}

class FeedView implements RunningSession {
  private readonly socket;
  private readonly recent: FeedEvent[] = [];
  private subscribers: unknown = "?";
  private readonly tournamentId = `tournament-${Math.floor(Math.random() * 900 + 100)}`;

  constructor(private readonly ctx: DemoContext) {
    this.socket = connect<Frame, Frame>(ctx, { url: "/ws/feed" });
    this.socket.on("snapshot", (s) => {
      this.subscribers = (s.state as { subscribers?: unknown } | undefined)?.subscribers ?? "?";
      this.renderState();
    });
    this.socket.on("frame", (frame) => {
      if (!isFeedEvent(frame)) return;
      this.recent.unshift(frame);
      this.recent.length = Math.min(this.recent.length, 10);
      ctx.log.frame(frame.seq, { tag: frame.type, body: `${frame.tournamentId} ${JSON.stringify(frame.data)}`, at: frame.timestamp });
      this.renderState();
    });
    this.renderActions();
    this.renderState();
  }

  close(): void {
    this.socket.close();
  }

  private renderActions(): void {
    clear(this.ctx.actions);
    for (const type of SEED_EVENT_TYPES) {
      const button = h("button", { type: "button", "data-testid": `feed-${type}` }, `Publish ${type}`);
      button.addEventListener("click", () => void this.publish(type));
      this.ctx.actions.append(button);
    }
  }

  private async publish(type: SeedEventType): Promise<void> {
    this.ctx.actionError(null);
    try {
      const body = { type, tournamentId: this.tournamentId, data: seedPayload(type, this.tournamentId) };
      await this.ctx.api.request("POST", "/api/feed/events", body, { asSetup: true, idempotencyKey: newKey() });
    } catch (error) {
      this.ctx.actionError(String(error));
    }
  }

  private renderState(): void {
    clear(this.ctx.state);
    this.ctx.state.append(
      h("p", {}, `${String(this.subscribers)} subscribers when you joined · last ${this.recent.length} events`),
      h("ol", {}, ...this.recent.map((e) => h("li", { "data-seq": String(e.seq) }, `#${e.seq} ${e.type} · ${e.tournamentId}`))),
    );
  }
}
