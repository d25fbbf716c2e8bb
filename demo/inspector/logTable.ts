/**
 * The room's raw log, newest first, each entry with the input behind it: the
 * journaled input that logged entries h+1..seq (one input can log several
 * frames, e.g. a roll, its round result and the next turn). Refreshes add the
 * entries newer than the newest shown; "Older entries" pages back.
 */
import { byId, h } from "../dom";
import type { AdminGet, JournalInput, LogPage } from "./types";

const time = (ms: number) => new Date(ms).toLocaleTimeString();

/** "socket by ann: {"type":"chat_message",...}"; a presence change reads "ann joined". */
function inputText(i: JournalInput): string {
  if (i.source === "presence") {
    const { kind } = (i.body ?? {}) as { kind?: string };
    return `presence: ${i.actor.userId} ${kind === "join" ? "joined" : kind === "leave" ? "left" : String(kind)}`;
  }
  if (i.source === "timer") return "timer fired";
  return `${i.source} by ${i.actor.userId}: ${JSON.stringify(i.body)}`;
}

export class LogTable {
  private next: number | null = null;
  private newest = 0;
  private room: string | null = null;

  constructor(
    private readonly admin: AdminGet,
    private readonly onPick: (seq: number) => void,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** The newest page of `room`, replacing what is shown. */
  async load(room: string): Promise<void> {
    this.room = room;
    this.newest = 0;
    const page = await this.fetch(undefined);
    if (!page || room !== this.room) return;
    byId("log").replaceChildren(...this.rows(page));
    this.newest = page.entries[0]?.seq ?? page.head;
    this.setNext(page.next);
  }

  /** The next older page, appended. */
  async older(): Promise<void> {
    if (this.next === null) return;
    const room = this.room;
    const page = await this.fetch(this.next);
    if (!page || room !== this.room) return;
    byId("log").append(...this.rows(page));
    this.setNext(page.next);
  }

  /** After a refresh saw the head move: the entries since the newest shown, on top. */
  async grew(head: number): Promise<void> {
    if (!this.room || head <= this.newest) return;
    const room = this.room;
    const page = await this.fetch(undefined);
    if (!page || room !== this.room) return;
    const fresh = page.entries.filter((e) => e.seq > this.newest);
    // More new entries than one page holds: start over rather than leave a gap.
    if (page.next !== null && fresh.length === page.entries.length) return this.load(room);
    byId("log").prepend(...this.rows({ ...page, entries: fresh }));
    this.newest = Math.max(this.newest, page.entries[0]?.seq ?? 0);
  }

  private async fetch(before: number | undefined): Promise<LogPage | null> {
    const q = new URLSearchParams({ limit: "50", ...(before !== undefined ? { before: String(before) } : {}) });
    try {
      return await this.admin<LogPage>(`/api/admin/rooms/${encodeURIComponent(this.room ?? "")}/log?${q}`);
    } catch (err) {
      this.onError(err);
      return null;
    }
  }

  private setNext(next: number | null): void {
    this.next = next;
    byId("log-more").hidden = next === null;
  }

  private rows(page: LogPage): HTMLTableRowElement[] {
    return page.entries.map((e) => {
      const inputs = page.inputs.filter((i) => i.h < e.seq && e.seq <= i.seq);
      return h(
        "tr",
        { "data-seq": e.seq, title: "Travel to this seq", onclick: () => this.onPick(e.seq) },
        h("td", {}, e.seq),
        h("td", {}, time(e.at)),
        h("td", {}, e.to ? e.to.join(", ") : e.groups ? "" : "everyone", e.groups ? ` groups: ${e.groups.join(", ")}` : ""),
        h("td", {}, h("code", {}, JSON.stringify(e.frame))),
        h("td", { class: "input", "data-testid": "log-input" }, ...inputs.map((i) => h("div", {}, h("code", {}, inputText(i))))),
      );
    });
  }
}
