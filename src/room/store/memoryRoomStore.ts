import type { Commit, IdempotencyRecord, JournalRecord, LogEntry, OutboxEntry, RetentionPolicy, RoomMeta, RoomStore } from "./RoomStore.ts";

/** RoomStore in plain memory: for pure tests of the Room pipeline. Values are copied, as SQLite would. */
export class MemoryRoomStore implements RoomStore {
  #meta: RoomMeta | null = null;
  #state: string = "null";
  #head = 0;
  #log: LogEntry[] = [];
  #idem = new Map<string, IdempotencyRecord>();
  #cmd = new Map<string, { seq: number; at: number }>();
  #presence = new Set<string>();
  #wakeAt: number | null = null;
  #outbox: OutboxEntry[] = [];
  #peers = new Map<string, number>();
  #inbox = new Map<string, number>();
  #metrics: string | null = null;
  /** In commit order (SQLite keeps log-row inputs and journal rows apart; the order read back is the same). */
  #journal: JournalRecord[] = [];
  #journalCut = 0;

  metrics(): string | null {
    return this.#metrics;
  }

  saveMetrics(json: string): void {
    this.#metrics = json;
  }

  meta(): RoomMeta | null {
    return this.#meta ? structuredClone(this.#meta) : null;
  }

  create(meta: RoomMeta, state: unknown, head = 0): void {
    if (this.#meta) throw new Error("room already exists");
    this.#meta = structuredClone(meta);
    this.#state = JSON.stringify(state);
    this.#head = head;
  }

  state(): unknown {
    return this.#meta ? JSON.parse(this.#state) : null;
  }

  head(): number {
    return this.#head;
  }

  tail(): number {
    return this.#log[0]?.seq ?? this.#head + 1;
  }

  commit(commit: Commit): void {
    // Build everything first so a failure leaves the store untouched (atomicity).
    const state = commit.state === undefined ? this.#state : JSON.stringify(commit.state);
    const entries = commit.entries.map((e) => ({ ...e, to: e.to ? [...e.to] : null, ...(e.groups?.length ? { groups: [...e.groups] } : {}) }));
    const outbox = (commit.outbox ?? []).map((m) => structuredClone(m));
    const journal = commit.journal ? structuredClone(commit.journal) : null;
    this.#state = state;
    if (journal) this.#journal.push(journal);
    for (const e of entries) {
      this.#log.push(e);
      this.#head = e.seq;
    }
    if (commit.idempotency) this.#idem.set(commit.idempotency.key, { ...commit.idempotency });
    const cmd = commit.commandId;
    if (cmd) this.#cmd.set(`${cmd.userId}\u0000${cmd.id}`, { seq: cmd.seq, at: cmd.at });
    for (const u of commit.presence?.add ?? []) this.#presence.add(u);
    for (const u of commit.presence?.remove ?? []) this.#presence.delete(u);
    if (commit.wakeAt !== undefined) this.#wakeAt = commit.wakeAt;
    for (const m of outbox) {
      const seq = (this.#peers.get(m.to) ?? 0) + 1;
      this.#peers.set(m.to, seq);
      this.#outbox.push({ to: m.to, seq, body: m.body, ...(m.create ? { create: m.create } : {}), attempts: 0, nextAt: m.at });
    }
    if (commit.inbox) this.#inbox.set(commit.inbox.from, commit.inbox.seq);
  }

  wakeAt(): number | null {
    return this.#wakeAt;
  }

  inboxSeq(from: string): number {
    return this.#inbox.get(from) ?? 0;
  }

  hostedAt(name: string): string | null {
    for (const to of this.#peers.keys()) if (to.endsWith(`/${name}`)) return to;
    return null;
  }

  outbox(limit: number): OutboxEntry[] {
    const sorted = [...this.#outbox].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : a.seq - b.seq));
    return structuredClone(sorted.slice(0, limit));
  }

  outboxDone(to: string, seq: number): void {
    this.#outbox = this.#outbox.filter((m) => !(m.to === to && m.seq === seq));
  }

  outboxRetry(to: string, seq: number, nextAt: number): void {
    for (const m of this.#outbox) if (m.to === to && m.seq === seq) Object.assign(m, { attempts: m.attempts + 1, nextAt });
  }

  oldestAt(): number | null {
    return this.#log[0]?.at ?? null;
  }

  entriesAfter(after: number, limit: number): LogEntry[] {
    return this.#log.filter((e) => e.seq > after).slice(0, limit).map((e) => ({ ...e }));
  }

  entriesBefore(before: number, limit: number): LogEntry[] {
    return this.#log.filter((e) => e.seq < before).reverse().slice(0, limit).map((e) => ({ ...e }));
  }

  idempotency(key: string): IdempotencyRecord | null {
    const r = this.#idem.get(key);
    return r ? { ...r } : null;
  }

  commandSeq(userId: string, id: string): number | null {
    return this.#cmd.get(`${userId}\u0000${id}`)?.seq ?? null;
  }

  presence(): string[] {
    return [...this.#presence].sort();
  }

  trim(policy: RetentionPolicy): void {
    const minSeq = this.#head - policy.maxEntries;
    const minAt = policy.now - policy.maxAgeMs;
    const before = this.#log.length;
    this.#log = this.#log.filter((e) => e.seq > minSeq && e.at >= minAt);
    if (this.#log.length < before) {
      const tail = this.tail();
      this.#journal = this.#journal.filter((j) => j.seq >= tail);
      this.#journalCut = Math.max(this.#journalCut, tail - 1);
    }
    const dedupMin = policy.now - policy.dedupTtlMs;
    for (const [k, r] of this.#idem) if (r.at < dedupMin) this.#idem.delete(k);
    for (const [k, r] of this.#cmd) if (r.at < dedupMin) this.#cmd.delete(k);
  }

  journal(upto: number, limit: number, from = 0): JournalRecord[] {
    return structuredClone(this.#journal.filter((j) => j.seq >= from && j.seq <= upto).slice(0, limit));
  }

  journalCut(): number {
    return this.#journalCut;
  }

  reset(epoch: string, state: unknown, by?: { at: number; userId: string }): void {
    if (!this.#meta) return;
    this.#meta = { ...this.#meta, epoch, journal: true, ...(by ? { resetAt: by.at, resetBy: by.userId } : {}) };
    this.#journal = [];
    this.#journalCut = 0;
    this.#state = JSON.stringify(state);
    this.#head = 0;
    this.#log = [];
    this.#cmd.clear();
    this.#presence.clear();
    this.#wakeAt = null;
  }
}
