/**
 * Time travel: the state at any seq, replayed by the server from the room's
 * journal. While "follow live" is ticked the pane shows the head as the room
 * moves (the live snapshot, no replay needed). Choosing a seq (the field, the
 * slider, a log row) unticks it and says so, so the refresh that brings new
 * entries never moves the operator off the seq they chose.
 */
import { ApiError } from "../api";
import { byId } from "../dom";
import type { AdminGet, AdminRoom, Travel } from "./types";

const json = (v: unknown) => JSON.stringify(v, null, 2);

export class TimeTravel {
  private room: string | null = null;
  private head = 0;
  /** The last travel shown while not following (its meta is redrawn as the head moves). */
  private shown: Travel | null = null;
  /** Bumped by each travel or follow, so a slow answer never overwrites a newer choice. */
  private ticket = 0;

  constructor(private readonly admin: AdminGet) {}

  get following(): boolean {
    return byId<HTMLInputElement>("live").checked;
  }

  /** A room was picked: start at its head, following. */
  open(room: string): void {
    this.room = room;
    this.shown = null;
    this.ticket++;
    this.error(null);
    this.setFollow(true);
  }

  /** Each refresh: the slider's range, and the pane while following. */
  refreshed(room: AdminRoom): void {
    this.head = room.seq;
    const range = byId<HTMLInputElement>("travel-range");
    range.max = String(room.seq);
    byId<HTMLInputElement>("travel-at").max = String(room.seq);
    if (this.following) {
      // Never write the field under the operator's keystrokes ("66" became "6666", seen in e2e).
      if (document.activeElement !== byId("travel-at")) this.setFields(room.seq);
      const online = [...new Set((room.connections?.list ?? []).map((c) => c.userId))];
      this.render({ at: room.seq, head: room.seq, state: room.state, online, inputs: 0 }, true);
    } else if (this.shown) {
      this.render(this.shown, false);
    }
  }

  /** Travel to `seq` (from the field when omitted): stops following, visibly. */
  async go(seq = Number(byId<HTMLInputElement>("travel-at").value)): Promise<void> {
    if (!this.room) return;
    this.setFields(seq);
    this.setFollow(false);
    const ticket = ++this.ticket;
    try {
      const t = await this.stateAt(seq);
      if (ticket !== this.ticket) return;
      this.error(null);
      this.shown = t;
      this.head = Math.max(this.head, t.head);
      this.render(t, false);
    } catch (err) {
      if (ticket !== this.ticket) return;
      this.shown = null;
      const out = byId("travel-state");
      out.textContent = "";
      delete out.dataset.at;
      byId("travel-meta").textContent = "";
      this.error(err);
    }
  }

  /** The state at `seq` (also what the diff compares). */
  stateAt(seq: number): Promise<Travel> {
    return this.admin<Travel>(`/api/admin/rooms/${encodeURIComponent(this.room ?? "")}/state?at=${seq}`);
  }

  /** The checkbox: ticking it goes back to the head. */
  setFollow(on: boolean): void {
    byId<HTMLInputElement>("live").checked = on;
    const note = byId("follow-note");
    note.hidden = on;
    if (!on) note.textContent = `Follow live is off: this stays at seq ${byId<HTMLInputElement>("travel-at").value} while the room moves on. Tick it to follow the head again.`;
    if (on) {
      this.ticket++;
      this.shown = null;
      this.error(null);
    }
  }

  private setFields(seq: number): void {
    byId<HTMLInputElement>("travel-range").value = String(seq);
    byId<HTMLInputElement>("travel-at").value = String(seq);
  }

  private render(t: Travel, live: boolean): void {
    const out = byId("travel-state");
    out.textContent = json(t.state);
    out.dataset.at = String(t.at);
    out.dataset.live = String(live);
    const online = `online ${live ? "now" : "then"}: ${t.online.join(", ") || "nobody"}`;
    byId("travel-meta").textContent = live
      ? `seq ${t.at} of ${t.head} (live, following the head); ${online}`
      : `seq ${t.at} of ${this.head}: ${t.inputs} input${t.inputs === 1 ? "" : "s"} replayed; ${online}`;
    if (!live) byId("follow-note").textContent = `Follow live is off: this stays at seq ${t.at} while the room moves on (now at ${this.head}). Tick it to follow the head again.`;
  }

  private error(err: unknown): void {
    const el = byId("travel-error");
    el.hidden = err === null;
    el.textContent = err === null ? "" : err instanceof ApiError ? `${err.code}: ${err.message}` : String(err);
  }
}
