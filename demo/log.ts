import { clock, h } from "./dom";

export type Tone = "frame" | "note" | "good" | "warn" | "error";
export type Counter = "reconnects" | "resumes" | "fallbacks";

export interface LogEntry {
  /** Frame type (`runtime_delta`, `chat_message`, ...) or a short label for notes. */
  tag: string;
  body: Node | string;
  /** ISO time from the frame, else now. */
  at?: string | number | undefined;
  tone?: Tone;
  /** Extra data-* attributes for styling and tests. */
  data?: Record<string, string>;
}

/**
 * The live log. Logged frames (with a seq) are listed by seq; the log checks
 * what the SDK promises (each seq once, increasing) and flags any violation
 * in red instead of hiding it. Notes (connection changes, errors) have no seq.
 */
export class EventLog {
  private readonly seqs = new Set<number>();
  private lastSeq = 0;
  private frames = 0;
  private anomalies = 0;
  private counters: Record<Counter, number> = { reconnects: 0, resumes: 0, fallbacks: 0 };

  constructor(
    private readonly list: HTMLOListElement,
    private readonly stats: HTMLElement,
  ) {
    this.render();
  }

  /** A logged frame the SDK delivered live or in a resume replay. */
  frame(seq: number, entry: LogEntry): void {
    const anomaly = this.seqs.has(seq) ? "duplicate" : seq <= this.lastSeq ? "out-of-order" : undefined;
    this.seqs.add(seq);
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.frames++;
    const li = this.item(entry, seq);
    if (anomaly) {
      this.anomalies++;
      li.dataset.anomaly = anomaly;
      li.classList.add("tone-error");
      li.title = `SDK delivered seq ${seq} ${anomaly === "duplicate" ? "twice" : "out of order"}`;
    }
    this.add(li);
    this.render();
  }

  /**
   * A server frame that carries no seq (seed 004's game events are logged in the
   * game's own object and relayed without one): counted as a frame, listed as
   * it arrives, outside the seq checks.
   */
  unsequenced(entry: LogEntry): void {
    this.frames++;
    this.add(this.item({ tone: "frame", ...entry }));
    this.render();
  }

  /**
   * A frame from before this connection (tabletop's `history` on join): put in
   * seq order, skipped if already listed. Does not move the live cursor.
   */
  backfill(seq: number, entry: LogEntry): void {
    if (this.seqs.has(seq)) return;
    this.seqs.add(seq);
    const li = this.item(entry, seq);
    li.dataset.history = "";
    const later = [...this.list.querySelectorAll<HTMLLIElement>("li[data-seq]")].find((el) => Number(el.dataset.seq) > seq);
    if (later) this.list.insertBefore(li, later);
    else this.add(li);
  }

  /** A line without a seq: connection changes, replies, errors. */
  note(tag: string, body: Node | string, tone: Tone = "note"): void {
    this.add(this.item({ tag, body, tone }));
  }

  count(what: Counter): void {
    this.counters[what]++;
    this.render();
  }

  clear(): void {
    this.list.replaceChildren();
    this.seqs.clear();
    this.lastSeq = 0;
    this.frames = 0;
    this.anomalies = 0;
    this.counters = { reconnects: 0, resumes: 0, fallbacks: 0 };
    this.render();
  }

  /** A snapshot reset the cursor (fresh connect or resume fallback): seqs may start over. */
  rebase(seq: number): void {
    // Lower than before: the room's history was reset (new epoch), so old seqs mean nothing now.
    if (seq < this.lastSeq) this.seqs.clear();
    this.lastSeq = seq;
    this.render();
  }

  private item(entry: LogEntry, seq?: number): HTMLLIElement {
    const li = h(
      "li",
      { class: `entry tone-${entry.tone ?? (seq === undefined ? "note" : "frame")}`, "data-tag": entry.tag },
      h("span", { class: "seq" }, seq === undefined ? "" : `#${seq}`),
      h("time", {}, clock(entry.at)),
      h("span", { class: "tag" }, entry.tag),
      h("div", { class: "body" }, entry.body),
    );
    if (seq !== undefined) li.dataset.seq = String(seq);
    for (const [key, value] of Object.entries(entry.data ?? {})) li.dataset[key] = value;
    return li;
  }

  private add(li: HTMLLIElement): void {
    const list = this.list;
    const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.appendChild(li);
    if (stick) list.scrollTop = list.scrollHeight;
  }

  private render(): void {
    const s = this.stats;
    s.dataset.frames = String(this.frames);
    s.dataset.lastSeq = String(this.lastSeq);
    s.dataset.anomalies = String(this.anomalies);
    s.dataset.reconnects = String(this.counters.reconnects);
    s.dataset.resumes = String(this.counters.resumes);
    s.dataset.fallbacks = String(this.counters.fallbacks);
    const parts = [`${this.frames} frames`, `seq ${this.lastSeq}`, `${this.counters.reconnects} reconnects`, `${this.counters.resumes} resumes`];
    if (this.counters.fallbacks > 0) parts.push(`${this.counters.fallbacks} snapshot fallbacks`);
    if (this.anomalies > 0) parts.push(`${this.anomalies} ordering errors`);
    s.textContent = parts.join(" · ");
  }
}
