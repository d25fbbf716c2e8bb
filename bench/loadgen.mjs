// The load generator: WebSocket clients that count events (not frames), publishers that retry
// safely, and the bookkeeping that turns both into deliveries, loss, duplicates and latency.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { keepAliveAgent, request } from "./http.mjs";

/** Wall-clock milliseconds with sub-millisecond resolution; one clock for sender and receiver. */
export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const EVENT_BYTES = 200;

/**
 * One event as JSON of exactly EVENT_BYTES bytes: the phase tag `b`, the event id `i` and the
 * send time `t` let every receiver find its phase, detect loss/duplicates and measure latency.
 */
export function makePayload(tag, i, t) {
  const head = `{"b":"${tag}","i":${i},"t":${t.toFixed(3)},"p":"`;
  return head + "x".repeat(Math.max(0, EVENT_BYTES - head.length - 2)) + '"}';
}

/** A growable array of numbers with percentiles. */
export class Samples {
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
    this.length = 0;
  }
  push(v) {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  summary() {
    if (this.length === 0) return { count: 0, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null };
    const sorted = this.data.slice(0, this.length).sort();
    const at = (q) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))], 2);
    return { count: this.length, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: round(sorted[sorted.length - 1], 2) };
  }
}

export function round(v, digits = 0) {
  if (v === null || v === undefined || !Number.isFinite(v)) return v ?? null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function growInt32(a, need) {
  if (need <= a.length) return a;
  const bigger = new Int32Array(Math.max(need, a.length * 2));
  bigger.set(a);
  return bigger;
}
function growU8(a, need) {
  if (need <= a.length) return a;
  const bigger = new Uint8Array(Math.max(need, a.length * 2));
  bigger.set(a);
  return bigger;
}

/**
 * One measured stretch: which events were sent, accepted and delivered to whom.
 * An event delivered to one socket counts once however frames batch it; a second copy is a
 * duplicate, never a second delivery.
 */
export class Phase {
  constructor(tag, { expected, latencyFrom = Infinity } = {}) {
    this.tag = tag;
    this.expected = expected; // sockets that should receive each event
    this.latencyFrom = latencyFrom; // event ids below this are warm-up: no latency sample
    this.latency = new Samples(4096);
    this.published = 0;
    this.accepted = new Uint8Array(1024);
    this.delivered = new Int32Array(1024); // first-time deliveries per event
    this.settled = new Uint8Array(1024);
    this.sentAt = new Float64Array(1024);
    this.scanFrom = 0;
    this.deliveries = 0;
    this.duplicates = 0;
    this.foreign = 0; // events of another phase (late frames), ignored
    this.onSettle = null;
    this.lastProgress = now();
  }
  reserve(i) {
    if (i >= this.accepted.length) {
      this.accepted = growU8(this.accepted, i + 1);
      this.delivered = growInt32(this.delivered, i + 1);
      this.settled = growU8(this.settled, i + 1);
      const sentAt = new Float64Array(this.settled.length);
      sentAt.set(this.sentAt);
      this.sentAt = sentAt;
    }
    if (i + 1 > this.published) this.published = i + 1;
  }
  settle(i) {
    if (this.settled[i]) return;
    this.settled[i] = 1;
    this.onSettle?.(i);
  }
  deliver(client, ev, at) {
    if (ev.b !== this.tag) {
      this.foreign++;
      return;
    }
    const i = ev.i;
    if (i >= client.seen.length) client.seen = growU8(client.seen, Math.max(i + 1, this.published));
    if (client.seen[i]) {
      this.duplicates++;
      if (client.seen[i] < 255) client.seen[i]++;
      return;
    }
    client.seen[i] = 1;
    client.received++;
    this.deliveries++;
    this.lastProgress = at;
    if (i >= this.delivered.length) this.reserve(i);
    if (++this.delivered[i] >= this.expected) this.settle(i);
    if (i >= this.latencyFrom) this.latency.push(at - ev.t);
  }
  /** Settles every event below `next` first sent before `before`. */
  expireBefore(before, next) {
    while (this.scanFrom < next && this.settled[this.scanFrom]) this.scanFrom++;
    for (let i = this.scanFrom; i < next; i++) {
      if (!this.settled[i] && this.sentAt[i] > 0 && this.sentAt[i] < before) this.settle(i);
    }
  }
  /** Deliveries still missing for accepted events. */
  lost() {
    let lost = 0;
    for (let i = 0; i < this.published; i++) if (this.accepted[i]) lost += Math.max(0, this.expected - this.delivered[i]);
    return lost;
  }
  acceptedCount() {
    let n = 0;
    for (let i = 0; i < this.published; i++) n += this.accepted[i];
    return n;
  }
  allDelivered() {
    for (let i = 0; i < this.published; i++) if (this.accepted[i] && this.delivered[i] < this.expected) return false;
    return true;
  }
  /** Waits until every accepted event reached every socket, or progress stops, or time runs out. */
  async drain({ quietMs = 3000, maxMs = 10_000 } = {}) {
    const start = now();
    this.lastProgress = Math.max(this.lastProgress, start);
    while (!this.allDelivered()) {
      const t = now();
      if (t - this.lastProgress > quietMs || t - start > maxMs) break;
      await sleep(25);
    }
    return round(now() - start);
  }
}

/** One WebSocket client; `seen[i]` counts how often event i of the current phase arrived. */
export class Client {
  constructor(id) {
    this.id = id;
    this.ws = null;
    this.phase = null;
    this.seen = new Uint8Array(256);
    this.received = 0;
    this.lastSeq = -1;
    this.epoch = undefined;
    this.recovered = 0;
    this.fallbacks = 0;
    this.drops = 0;
    this.closing = false;
    this.open = false;
    this.badFrames = 0;
    this.closeCode = null; // the last close code the server sent (4009: refused, room full)
  }
  join(phase) {
    this.phase = phase;
    this.seen.fill(0);
    this.received = 0;
  }
}

/** Walks one decoded frame: events may come alone, wrapped in a publish frame, or batched. */
function visit(client, node, at) {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const item of node) visit(client, item, at);
    return;
  }
  if (typeof node.b === "string" && typeof node.i === "number") {
    client.phase?.deliver(client, node, at);
    return;
  }
  if (typeof node.seq === "number" && node.seq > client.lastSeq) client.lastSeq = node.seq;
  if (node.epoch !== undefined) client.epoch = node.epoch;
  if (node.recovered === true) client.recovered++;
  if (node.recovered === false) client.fallbacks++;
  if (node.type === "snapshot" || node.event === "snapshot" || node.event === "history") return; // state, not events
  // A phase may recognise frames that can't carry the bench event (seed quest: runtime_delta holds
  // only derived deltas, so Q1 matches them by seq); `claim` returns true when it took the frame.
  if (client.phase?.claim?.(client, node, at)) return;
  // Seed chat: the bench event travels as the message text (tabletop chat_message).
  if (typeof node.message === "string" && node.message.startsWith('{"b":')) {
    try {
      visit(client, JSON.parse(node.message), at);
    } catch {
      client.badFrames++;
    }
    return;
  }
  if (node.data !== undefined) visit(client, node.data, at);
  if (Array.isArray(node.events)) visit(client, node.events, at);
  if (Array.isArray(node.frames)) visit(client, node.frames, at);
}

function onFrame(client, data) {
  const at = now();
  const text = typeof data === "string" ? data : data.toString();
  if (text === "pong") return;
  let msg;
  try {
    msg = JSON.parse(text);
  } catch {
    client.badFrames++;
    return;
  }
  visit(client, msg, at);
}

const CLIENT_OPTIONS = { perMessageDeflate: false, skipUTF8Validation: true, maxPayload: 64 * 1024 * 1024 };

function connectOne(client, url, timeoutMs) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ...CLIENT_OPTIONS, handshakeTimeout: timeoutMs });
    client.ws = ws;
    client.closing = false;
    let opened = false;
    ws.on("message", (data) => onFrame(client, data));
    ws.once("open", () => {
      opened = true;
      client.open = true;
      resolve();
    });
    ws.on("unexpected-response", (_req, res) => {
      ws.terminate();
      reject(new Error(`HTTP ${res.statusCode}`));
    });
    ws.on("error", (e) => {
      if (!opened) reject(e);
    });
    ws.on("close", (code) => {
      client.open = false;
      client.closeCode = code;
      if (!opened) reject(Object.assign(new Error(`closed before open (${code})`), { closeCode: code }));
      else if (!client.closing) client.drops++;
    });
  });
}

/**
 * Opens every client, `batch` handshakes at a time (so thousands of sockets don't time out),
 * retrying a failed handshake a few times; no new batch starts after `deadline`. Never throws:
 * returns {ms, failures (failed attempts), failed (sockets never opened although tried), errors,
 * attempted, notAttempted (left out by the deadline), refused (closed by the server with 4009,
 * which is not retried: the room said it is full)}. Every socket is in exactly one of opened,
 * failed, refused or notAttempted, so none fails silently.
 */
export async function connectAll(clients, urlFor, { batch = 200, timeoutMs = 30_000, attempts = 4, deadline = Infinity } = {}) {
  const start = now();
  let failures = 0;
  let attempted = 0;
  let failed = 0;
  let refused = 0;
  const errors = {};
  const one = async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await connectOne(client, urlFor(client), timeoutMs);
        return;
      } catch (e) {
        failures++;
        const key = e.code ?? e.message;
        errors[key] = (errors[key] ?? 0) + 1;
        if (e.closeCode === 4009) {
          refused++;
          return;
        }
        if (attempt >= attempts) {
          failed++;
          return;
        }
        await sleep(100 * attempt);
      }
    }
  };
  for (let k = 0; k < clients.length && now() < deadline; k += batch) {
    const slice = clients.slice(k, k + batch);
    attempted += slice.length;
    await Promise.all(slice.map(one));
  }
  return { ms: round(now() - start), failures, failed, refused, errors, attempted, notAttempted: clients.length - attempted };
}

/** Closes every client (or cuts it, `terminate`), waiting for the sockets to go. */
export async function closeAll(clients, { terminate = false, timeoutMs = 5000 } = {}) {
  const closing = [];
  const waits = [];
  for (const c of clients) {
    const ws = c.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) continue;
    c.closing = true;
    closing.push(ws);
    waits.push(new Promise((r) => ws.once("close", r)));
    if (terminate) ws.terminate();
    else ws.close(1000);
  }
  // Only the sockets closed here are cut after the timeout: by then a client may hold a new one.
  let timer;
  const late = new Promise((r) => {
    timer = setTimeout(() => {
      for (const ws of closing) ws.terminate();
      r();
    }, timeoutMs);
  });
  await Promise.race([Promise.all(waits), late]);
  clearTimeout(timer);
  await sleep(0);
}

export function makeClients(n) {
  return Array.from({ length: n }, (_, id) => new Client(id));
}

const RETRYABLE = new Set([0, 408, 425, 429, 500, 502, 503, 504]);

/**
 * Publishes events of one phase. Every attempt of event i sends the same body and the same
 * Idempotency-Key, so a retry after an ambiguous failure (hung-up socket, 503 before the worker)
 * can't apply twice on a target that honours the key. Failed attempts are counted here,
 * separately from the deliveries the sockets lose.
 */
export class Publisher {
  constructor(room, phase, { concurrency = 8, attempts = 5, timeoutMs = 15_000 } = {}) {
    this.room = room;
    this.phase = phase;
    this.agent = keepAliveAgent(concurrency);
    this.attempts = attempts;
    this.timeoutMs = timeoutMs;
    this.failedPublishes = 0; // failed attempts (each retry that was needed counts)
    this.abandoned = 0; // events given up after every attempt failed
    this.failures = {}; // by status code or socket error
    this.postMs = new Samples(4096); // first attempt -> accepted, for successful events
    this.recordFrom = 0; // only time POSTs that start after this moment
    this.acceptedAt = new Samples(4096);
  }
  async publish(i) {
    const phase = this.phase;
    phase.reserve(i);
    const t0 = now();
    phase.sentAt[i] = t0;
    const payload = makePayload(phase.tag, i, t0);
    const req = this.room.publish(payload, `${phase.tag}.${i}`);
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const res = await request(req.url, { body: req.body, headers: req.headers, agent: this.agent, timeoutMs: this.timeoutMs });
      if (res.status >= 200 && res.status < 300) {
        phase.accepted[i] = 1;
        const t1 = now();
        if (t0 >= this.recordFrom) this.postMs.push(t1 - t0);
        this.acceptedAt.push(t1);
        return true;
      }
      this.failedPublishes++;
      const key = res.status ? String(res.status) : String(res.error);
      this.failures[key] = (this.failures[key] ?? 0) + 1;
      if (!RETRYABLE.has(res.status) || attempt === this.attempts) break;
      const retryAfter = Number(res.retryAfter);
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 2000) : Math.min(50 * 2 ** attempt, 1000));
    }
    this.abandoned++;
    phase.settle(i); // it won't be delivered: free its slot
    return false;
  }
  acceptedBetween(from, to) {
    let n = 0;
    for (let k = 0; k < this.acceptedAt.length; k++) {
      const t = this.acceptedAt.data[k];
      if (t >= from && t < to) n++;
    }
    return n;
  }
  close() {
    this.agent.destroy();
  }
}

const TICKS_PER_SEC = 100; // USER_HZ on Linux

/** CPU time (ms) a process has used so far, from /proc; null when unreadable. */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SEC;
  } catch {
    return null;
  }
}

/** Resident memory of a process in bytes, from /proc. */
export function processRssBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Busy, softirq and steal time (ms) of one CPU so far, from /proc/stat; null when unreadable.
 * Softirq is kept apart: on loopback it is mostly our own traffic's network processing, which no
 * process is charged for, so it is neither the server's CPU nor other processes' noise.
 */
export function cpuBusyMs(cpu) {
  if (cpu === null || cpu === undefined) return null;
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n").find((l) => l.startsWith(`cpu${cpu} `));
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const toMs = (ticks) => (ticks * 1000) / TICKS_PER_SEC;
    return { busy: toMs(user + nice + system + irq), softirq: toMs(softirq), steal: toMs(steal) };
  } catch {
    return null;
  }
}

/**
 * Measures CPU use between start() and stop(): the server process, this process, and what other
 * processes (and the hypervisor's steal) took from the server's core, which tells a noisy run.
 */
export class CpuMeter {
  constructor(serverPid, serverCore = null) {
    this.serverPid = serverPid;
    this.serverCore = serverCore;
  }
  start() {
    this.t0 = now();
    this.s0 = processCpuMs(this.serverPid);
    this.c0 = process.cpuUsage();
    this.k0 = cpuBusyMs(this.serverCore);
  }
  stop() {
    const wall = now() - this.t0;
    const s1 = processCpuMs(this.serverPid);
    const c = process.cpuUsage(this.c0);
    const k1 = cpuBusyMs(this.serverCore);
    const server = this.s0 === null || s1 === null ? null : s1 - this.s0;
    const pct = (ms) => round((ms / wall) * 100);
    return {
      serverCpuPct: server === null ? null : pct(server),
      clientCpuPct: pct((c.user + c.system) / 1000),
      ...(this.k0 && k1 && server !== null
        ? {
            serverCoreOthersPct: Math.max(0, pct(k1.busy - this.k0.busy - server + (k1.steal - this.k0.steal))),
            serverCoreStealPct: pct(k1.steal - this.k0.steal),
            serverCoreSoftirqPct: pct(k1.softirq - this.k0.softirq),
          }
        : {}),
    };
  }
}

/**
 * Open loop: calls `send(i)` for i = 0..total-1 at `rate` per second from 50 ms from now, never
 * waiting for answers (a slow server shows as latency, not as a lower offered rate). Just before
 * send(warmAt) it calls `onWarm()`, where a scenario starts measuring.
 */
export async function openLoop({ total, rate, warmAt, onWarm, send }) {
  const interval = 1000 / rate;
  const t0 = now() + 50;
  for (let i = 0; i < total; i++) {
    const wait = t0 + i * interval - now();
    if (wait > 0) await sleep(wait);
    if (i === warmAt) onWarm();
    send(i);
  }
}
