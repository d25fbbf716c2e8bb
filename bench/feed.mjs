// The feed scenario (issue 22): one feed with S subscribers spread `shardSize` per object (the
// feed's room, then gateways) against one relay room holding all S sockets in one object, on this
// machine. The aim: a burst into the feed over 20 objects takes at most 2x the same burst into the
// one room, nothing lost. Run alone, on demand:
//
//   ulimit -Sn $(ulimit -Hn); node bench/feed.mjs            (or: npm run bench:feed)
//   FEED_S=2000 FEED_SIZES=100,500 FEED_BURST=40 node bench/feed.mjs  (other shapes)
//
// Per configuration: connect S sockets (one user each), then LATENCY: FEED_EVENTS events one at a
// time, each sent once every socket has the previous one (publish-to-delivery per socket: p50,
// p99, and publish-to-last-delivery per event); then the BURST: FEED_BURST events posted back to
// back (4 in flight), timed from the first POST to the last delivery (deliveries/s = S x burst /
// that). Every delivery is checked: each event once per socket, same seq on every socket.
// Figures go to bench/FEED.md and bench/feed-results.json.
import { SignJWT } from "jose";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { keepAliveAgent, request } from "./http.mjs";
import { bundleWorker, JWT_SECRET, startWorkerd } from "./workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
// Issue 22's shape: 100 subscribers, 5 per object (20 objects), a burst of 150. (Large S: workerd
// holds two descriptors per socket; 8,000 is the most that fit this machine's 20,000 limit.)
const S = Number(process.env.FEED_S ?? 100);
const SIZES = (process.env.FEED_SIZES ?? "5").split(",").map(Number);
const EVENTS = Number(process.env.FEED_EVENTS ?? 20);
const BURST = Number(process.env.FEED_BURST ?? 150);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secret = new TextEncoder().encode(JWT_SECRET);
const jwt = (claims) => new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("2h").sign(secret);

function pct(sorted, p) {
  if (sorted.length === 0) return null;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

/** S sockets that record, per event id, when it arrived and with which seq. */
class Subscribers {
  constructor(n) {
    this.n = n;
    this.sockets = [];
    this.arrivals = new Map(); // event id -> {times: number[], seqs: Set}
    this.duplicates = 0;
    this.dropped = 0;
  }
  onMessage(seen, text) {
    if (text === "pong") return;
    const f = JSON.parse(text);
    const id = f.data?.benchId ?? f.data?.data?.benchId;
    if (id === undefined) return;
    if (seen.has(id)) {
      this.duplicates++;
      return;
    }
    seen.add(id);
    let a = this.arrivals.get(id);
    if (!a) this.arrivals.set(id, (a = { times: [], seqs: new Set() }));
    a.times.push(now());
    if (typeof f.seq === "number") a.seqs.add(f.seq);
  }
  async connect(urlFor) {
    const t0 = now();
    const one = (i, attempt = 1) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(urlFor(i), { perMessageDeflate: false });
        const seen = new Set();
        ws.on("message", (d) => this.onMessage(seen, d.toString()));
        ws.once("open", () => resolve(ws));
        ws.once("unexpected-response", (_q, res) => reject(new Error(`HTTP ${res.statusCode}`)));
        ws.once("error", reject);
        ws.on("close", (code) => {
          if (!ws.benchClosing) this.dropped++, (this.lastClose = code);
        });
      }).catch(async (e) => {
        if (attempt >= 4) throw e;
        await sleep(200 * attempt);
        return one(i, attempt + 1);
      });
    for (let k = 0; k < this.n; k += 200) {
      const batch = await Promise.all(Array.from({ length: Math.min(200, this.n - k) }, (_, j) => one(k + j)));
      this.sockets.push(...batch);
    }
    return Math.round(now() - t0);
  }
  async waitFor(id, count, ms = 30_000) {
    const deadline = now() + ms;
    while ((this.arrivals.get(id)?.times.length ?? 0) < count && now() < deadline) await sleep(2);
    return this.arrivals.get(id)?.times.length ?? 0;
  }
  async close() {
    await Promise.all(
      this.sockets.map(
        (ws) =>
          new Promise((r) => {
            ws.benchClosing = true;
            ws.once("close", r);
            ws.close(1000);
            setTimeout(() => (ws.terminate(), r()), 5000);
          }),
      ),
    );
  }
}

async function run(target, base, tokens) {
  const agent = keepAliveAgent(8);
  const publisher = await jwt({ sub: "bench-publisher", scope: "events:publish rooms:admin" });
  const headers = { authorization: `Bearer ${publisher}`, "content-type": "application/json" };
  const name = `${target.label.replace(/\W/g, "")}-${Math.random().toString(36).slice(2, 8)}`;
  let wsPath, post;
  if (target.k === 0) {
    const made = await request(`${base}/api/rooms`, { agent, headers, body: JSON.stringify({ roomId: name, config: { presence: false, limits: { maxConnections: 32_000 } } }) });
    if (made.status !== 201) throw new Error(`room: ${made.status} ${made.text}`);
    wsPath = `/ws/rooms/${name}`;
    post = (id, i) => request(`${base}/api/rooms/${name}/events`, { agent, headers, body: JSON.stringify({ type: "publish", data: { benchId: id, i } }) });
  } else {
    const made = await request(`${base}/api/feeds`, { agent, headers, body: JSON.stringify({ feed: name, shardSize: target.size }) });
    if (made.status !== 201) throw new Error(`feed: ${made.status} ${made.text}`);
    wsPath = `/ws/feed?feed=${name}`;
    post = (id, i) => request(`${base}/api/feed/events?feed=${name}`, { agent, headers, body: JSON.stringify({ type: "bench.step", tournamentId: "bench", data: { benchId: id, i } }) });
  }
  const subs = new Subscribers(S);
  const sep = wsPath.includes("?") ? "&" : "?";
  const connectMs = await subs.connect((i) => `${base.replace("http", "ws")}${wsPath}${sep}token=${tokens[i]}`);
  // Where the sockets are: the feed's own object, then each gateway ([S5]; the publisher is an admin).
  let shards = null;
  if (target.k > 0) {
    const m = await fetch(`${base}/api/feed?feed=${name}`, { headers }).then((r) => r.json());
    const far = m.spread.gateways.map((g) => g.sockets);
    shards = [m.spread.sockets - far.reduce((a, b) => a + b, 0), ...far];
  }
  // Latency: one event at a time.
  const perSocket = [];
  const perEvent = [];
  let lost = 0;
  let seqMismatch = 0;
  for (let i = 0; i < EVENTS; i++) {
    const id = `L${i}`;
    const t0 = now();
    const res = await post(id, i);
    if (res.status >= 300) throw new Error(`publish ${res.status} ${res.text}`);
    const got = await subs.waitFor(id, S);
    lost += S - got;
    const a = subs.arrivals.get(id);
    if (a) {
      for (const t of a.times) perSocket.push(t - t0);
      perEvent.push(Math.max(...a.times) - t0);
      if (a.seqs.size !== 1) seqMismatch++;
    }
  }
  // Throughput: a burst, four POSTs in flight.
  const t0 = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < BURST) {
        const i = next++;
        const res = await post(`B${i}`, i);
        if (res.status >= 300) throw new Error(`publish ${res.status} ${res.text}`);
      }
    }),
  );
  let last = t0;
  for (let i = 0; i < BURST; i++) {
    const got = await subs.waitFor(`B${i}`, S, 60_000);
    lost += S - got;
    const a = subs.arrivals.get(`B${i}`);
    if (a) {
      last = Math.max(last, ...a.times);
      if (a.seqs.size !== 1) seqMismatch++;
    }
  }
  const burstMs = last - t0;
  perSocket.sort((x, y) => x - y);
  perEvent.sort((x, y) => x - y);
  const result = {
    target: target.label,
    k: target.k,
    sockets: S,
    shards,
    objects: shards ? shards.filter((n) => n > 0).length : 1,
    connectMs,
    p50Ms: pct(perSocket, 50),
    p99Ms: pct(perSocket, 99),
    lastDeliveryP50Ms: pct(perEvent, 50),
    lastDeliveryP99Ms: pct(perEvent, 99),
    burstMs: Math.round(burstMs),
    deliveriesPerSec: Math.round((S * BURST) / (burstMs / 1000)),
    lost,
    duplicates: subs.duplicates,
    seqMismatch,
    dropped: subs.dropped,
  };
  await subs.close();
  agent.destroy();
  return result;
}

const started = new Date();
const loadBefore = os.loadavg().map((n) => n.toFixed(2)).join(" ");
console.log(`feed bench: S=${S}, shardSize ${SIZES.join(",")}, ${EVENTS} latency events, burst ${BURST}; load average ${loadBefore}`);
const worker = await startWorkerd({ scriptPath: await bundleWorker(), stateDir: `/dev/shm/hearth-feed-bench-${process.pid}` });
const tokens = await Promise.all(Array.from({ length: S }, (_, i) => jwt({ sub: `sub-${i}` })));
const results = [];
try {
  for (const target of [{ label: "one object (relay room)", k: 0 }, ...SIZES.map((size) => ({ label: `feed shardSize ${size}`, k: Math.ceil(S / size), size }))]) {
    const r = await run(target, worker.url, tokens);
    console.log(JSON.stringify(r));
    results.push(r);
  }
} finally {
  await worker.dispose();
}
const loadAfter = os.loadavg().map((n) => n.toFixed(2)).join(" ");
const single = results.find((r) => r.k === 0);
const ratio = (r, f) => (single?.[f] ? Math.round((r[f] / single[f]) * 100) / 100 : null);
const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const rows = results.map(
  (r) =>
    `| ${r.target} | ${r.objects} | ${r.shards ? r.shards.join(" / ") : S} | ${r.connectMs} | ${r.p50Ms} | ${r.p99Ms} | ${r.lastDeliveryP50Ms} | ${r.lastDeliveryP99Ms} | ${r.burstMs} | ${ratio(r, "burstMs") ?? "-"} | ${r.deliveriesPerSec} | ${r.lost}/${r.duplicates}/${r.seqMismatch} |`,
);
const md = `# Feed benchmark (\`node bench/feed.mjs\`)

${started.toISOString()} on ${machine}, load average ${loadBefore} before, ${loadAfter} after (1/5/15 min;
the machine is shared). One workerd process (Miniflare API, SQLite on tmpfs), clients in one Node process on the
same machine; S = ${S} sockets, each its own user. Latency: ${EVENTS} events one at a time; burst: ${BURST} events
posted back to back (4 in flight), first POST to last delivery. Command: \`${process.env.FEED_CMD ?? "npm run bench:feed"}\`.

| target | objects | sockets per object | connect all (ms) | publish-to-delivery p50 (ms) | p99 (ms) | publish-to-last-delivery p50 (ms) | p99 (ms) | burst (ms) | burst x one object | deliveries/s | lost/dup/seq mismatch |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}

${results
  .filter((r) => r.k > 0)
  .map((r) => `Aim (issue 22): the feed's burst over ${r.objects} objects at most 2x the one object's: ${ratio(r, "burstMs")}x, ${ratio(r, "burstMs") <= 2 ? "met" : "not met"}; ${r.lost + r.duplicates + r.seqMismatch === 0 ? "nothing lost, doubled or out of seq" : "DELIVERY ERRORS"}.`)
  .join("\n")}
Both targets run in the same workerd on the same 2 cores as the client and other work: the figures
are relative to each other, not production figures (bench/FEED-MODEL.md).

The capacity model for production, built on these figures: [FEED-MODEL.md](FEED-MODEL.md).
`;
writeFileSync(path.join(here, "FEED.md"), md);
writeFileSync(path.join(here, "feed-results.json"), JSON.stringify({ date: started.toISOString(), machine, load: { before: loadBefore, after: loadAfter }, S, SIZES, EVENTS, BURST, results }, null, 2));
console.log(md);
