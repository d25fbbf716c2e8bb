// The five scenarios (and the seed paths T1, Q1). Each takes {target, server, cfg, tag, log} for one fresh server process and
// returns that run's figures (names as in results.json; extra diagnostics alongside).
import {
  Client,
  closeAll,
  connectAll,
  CpuMeter,
  makeClients,
  now,
  Phase,
  processRssBytes,
  Publisher,
  round,
  sleep,
} from "./loadgen.mjs";
import { CHAT_DEFAULTS, tabletopChat } from "./seedChat.mjs";
import { QUEST_DEFAULTS, questEvent } from "./questEvent.mjs";

export const DEFAULTS = {
  S1: { sockets: 1000, warmMs: 2000, measureMs: 6000, window: 32, concurrency: 8, settleTimeoutMs: 5000 },
  S2: { sockets: 1000, rate: 10, warmMs: 1000, measureMs: 6000 },
  S3: { sockets: 100, concurrency: 16, warmMs: 1000, measureMs: 5000 },
  // S4's connect budget was 25 s: on a crowded machine Hearth's storm (12-14 s alone) ran past it,
  // and the batches it cut were never tried, so 2,300-2,800 sockets "never opened" with no error
  // recorded. Now 60 s, and every socket not open is counted by why (notAttempted, failed, refused).
  S4: { rooms: 10, perRoom: 1000, settleMs: 3000, connectBudgetMs: 60_000 },
  S5: { sockets: 1000, missed: 100, live: 10 },
  T1: CHAT_DEFAULTS,
  Q1: QUEST_DEFAULTS,
};

export const SCENARIOS = {
  S1: { title: "S1 fan-out", describe: "1 room x 1,000 sockets, 200-byte events as fast as sustained", run: fanOut },
  S2: { title: "S2 latency", describe: "10 events/s into 1,000 sockets, publish -> delivery", run: latency },
  S3: { title: "S3 ingest", describe: "events POSTed (persisted where the target persists), 100 sockets listening", run: ingest },
  S4: { title: "S4 idle", describe: "10,000 idle sockets over 10 rooms: server RSS per socket", run: idle },
  S5: { title: "S5 reconnect storm", describe: "1,000 sockets drop, 100 events missed, all resume at once", run: reconnectStorm },
  // Seed paths: Hearth only (no baseline has these systems); run once per round on the `hearth` target.
  T1: { title: "T1 tabletop chat", describe: "20-player table, every player chats 5/s, chat -> every player", run: tabletopChat, only: ["hearth"] },
  Q1: { title: "Q1 quest event", describe: "50-player quest session, a service POSTs 20 runtime events/s, runtime_delta -> every player", run: questEvent, only: ["hearth"] },
};

function connectBatch(n) {
  return n <= 1000 ? 250 : 500;
}

async function openRoom(target, server, id, sockets, phase) {
  const room = await target.room(server, id);
  await room.create();
  await room.prepare(sockets);
  const clients = makeClients(sockets);
  for (const c of clients) c.join(phase);
  const connect = await connectAll(clients, (c) => room.socketUrl(c.id), { batch: connectBatch(sockets) });
  const missing = connect.failed + connect.refused + connect.notAttempted;
  if (missing > sockets / 100) throw new Error(`${missing} of ${sockets} sockets did not open (${connect.refused} refused with 4009): ${JSON.stringify(connect.errors)}`);
  const open = clients.filter((c) => c.open);
  phase.expected = open.length;
  return { room, clients: open, connect };
}

/** S1: closed loop on delivery. At most `window` events are in flight (published, not yet at
 * every socket) and at most `concurrency` POSTs are open, so the room is always busy but its
 * queues stay bounded; deliveries/s over the measured stretch is what it sustains. */
async function fanOut({ target, server, cfg, tag }) {
  const phase = new Phase(tag, { expected: cfg.sockets });
  const { room, clients, connect } = await openRoom(target, server, `s1-${tag}`, cfg.sockets, phase);
  const pub = new Publisher(room, phase, { concurrency: cfg.concurrency });
  const cpu = new CpuMeter(server.pid, server.core);

  let inflight = 0;
  let posting = 0;
  let wake = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  phase.onSettle = () => {
    inflight--;
    poke();
  };

  const t0 = now();
  const tWarm = t0 + cfg.warmMs;
  const tEnd = tWarm + cfg.measureMs;
  let warm = null;
  let next = 0;
  while (true) {
    const t = now();
    if (!warm && t >= tWarm) {
      warm = { t, deliveries: phase.deliveries };
      cpu.start();
    }
    if (t >= tEnd) break;
    if (inflight < cfg.window && posting < cfg.concurrency) {
      const i = next++;
      inflight++;
      posting++;
      pub.publish(i).then(() => {
        posting--;
        poke();
      });
      continue;
    }
    await new Promise((r) => {
      wake = r;
      setTimeout(r, 20);
    });
    // An event that hasn't reached everyone in settleTimeoutMs stops holding its slot (it
    // counts as lost if it never arrives).
    phase.expireBefore(now() - cfg.settleTimeoutMs, next);
  }
  const end = { t: now(), deliveries: phase.deliveries };
  const usage = cpu.stop();
  while (posting > 0) await sleep(10);
  const drainMs = await phase.drain();
  await closeAll(clients);
  pub.close();

  const seconds = (end.t - warm.t) / 1000;
  return {
    deliveriesPerSec: round((end.deliveries - warm.deliveries) / seconds),
    eventsPerSec: round((end.deliveries - warm.deliveries) / seconds / phase.expected, 1),
    ...deliveryFigures({ pub, phase, clients, connect, drainMs, usage }),
    connectFailures: connect.failures,
  };
}

/** S2: open loop at `rate` events/s; latency is receive time minus the publisher's send time,
 * both on this process's clock. The first `warmMs` of events are not sampled. */
async function latency({ target, server, cfg, tag }) {
  const warmEvents = Math.round((cfg.warmMs / 1000) * cfg.rate);
  const phase = new Phase(tag, { expected: cfg.sockets, latencyFrom: warmEvents });
  const { room, clients, connect } = await openRoom(target, server, `s2-${tag}`, cfg.sockets, phase);
  const pub = new Publisher(room, phase, { concurrency: 4 });
  const cpu = new CpuMeter(server.pid, server.core);
  const total = warmEvents + Math.round((cfg.measureMs / 1000) * cfg.rate);
  const interval = 1000 / cfg.rate;
  const posts = [];
  const t0 = now() + 50;
  cpu.start();
  for (let i = 0; i < total; i++) {
    const wait = t0 + i * interval - now();
    if (wait > 0) await sleep(wait);
    posts.push(pub.publish(i));
  }
  await Promise.all(posts);
  const drainMs = await phase.drain({ quietMs: 3000, maxMs: 8000 });
  const usage = cpu.stop();
  await closeAll(clients);
  pub.close();
  return {
    ...pick(phase.latency.summary(), ["p50Ms", "p95Ms", "p99Ms", "maxMs"]),
    samples: phase.latency.length,
    ...deliveryFigures({ pub, phase, clients, connect, drainMs, usage }),
  };
}

/** S3: `concurrency` publishers POST back to back; events/s is accepted POSTs per second and
 * the POST latency runs from the first attempt to the accepted answer (retries included). */
async function ingest({ target, server, cfg, tag }) {
  const phase = new Phase(tag, { expected: cfg.sockets });
  const { room, clients, connect } = await openRoom(target, server, `s3-${tag}`, cfg.sockets, phase);
  const pub = new Publisher(room, phase, { concurrency: cfg.concurrency });
  const cpu = new CpuMeter(server.pid, server.core);
  const t0 = now();
  const tWarm = t0 + cfg.warmMs;
  const tEnd = tWarm + cfg.measureMs;
  pub.recordFrom = tWarm;
  let next = 0;
  let warmed = false;
  const worker = async () => {
    while (now() < tEnd) {
      if (!warmed && now() >= tWarm) {
        warmed = true;
        cpu.start();
      }
      await pub.publish(next++);
    }
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, worker));
  const usage = cpu.stop();
  const drainMs = await phase.drain();
  await closeAll(clients);
  pub.close();
  const post = pub.postMs.summary();
  return {
    eventsPerSec: round(pub.acceptedBetween(tWarm, tEnd) / (cfg.measureMs / 1000)),
    p50Ms: post.p50Ms,
    p99Ms: post.p99Ms,
    maxMs: post.maxMs,
    ...deliveryFigures({ pub, phase, clients, connect, drainMs, usage }),
  };
}

/** S4: the server's resident memory grows by this much per idle socket. The baseline is taken
 * with every room already open (one socket each), so the figure is per socket, not per room.
 * Sockets are opened round-robin over the rooms; no new batch starts after connectBudgetMs, so a
 * target with slow joins is measured over the sockets it accepted in that time (`sockets`). */
async function idle({ target, server, cfg, tag }) {
  const phase = new Phase(tag, { expected: 0 });
  const rssStart = processRssBytes(server.pid);
  const rooms = [];
  for (let r = 0; r < cfg.rooms; r++) {
    const room = await target.room(server, `s4-${tag}-${r}`);
    await room.create();
    await room.prepare(cfg.perRoom);
    rooms.push(room);
  }
  const all = [];
  for (let k = 0; k < cfg.perRoom; k++) {
    for (let r = 0; r < cfg.rooms; r++) {
      const c = new Client(k);
      c.join(phase);
      c.room = rooms[r];
      all.push(c);
    }
  }
  const firsts = all.slice(0, cfg.rooms);
  const rest = all.slice(cfg.rooms);
  await connectAll(firsts, (c) => c.room.socketUrl(c.id), { batch: firsts.length });
  await sleep(500);
  const rssBase = processRssBytes(server.pid);
  const connect = await connectAll(rest, (c) => c.room.socketUrl(c.id), {
    batch: connectBatch(rest.length),
    deadline: now() + cfg.connectBudgetMs,
  });
  await sleep(cfg.settleMs);
  const rssIdle = processRssBytes(server.pid);
  if (!rssIdle || !rssBase) throw new Error("server process is gone (crashed?): see bench/.out/workerd.log");
  const open = rest.filter((c) => c.open).length;
  // The same sockets after one event each. workerd keeps ~16 KB of native memory for a socket
  // from the first frame it sends it, whatever the frame's size (the raw DO sending one frame of
  // 100 B, 1 KB, 3 KB or 10 KB at connect: +16.5 KB a socket each time, bench/RESULTS.md). Hearth
  // sends every socket its snapshot at connect and the baselines send nothing, so the idle figure
  // compares sockets that were sent something with sockets that never were; this one does not.
  const heard = [];
  for (const room of rooms) {
    const members = all.filter((c) => c.room === room && c.open);
    const one = new Phase(`${tag}-one-${rooms.indexOf(room)}`, { expected: members.length });
    for (const c of members) c.join(one);
    const pub = new Publisher(room, one, { concurrency: 1 });
    await pub.publish(0);
    await one.drain({ quietMs: 5000, maxMs: 30_000 });
    pub.close();
    heard.push(one.deliveries);
  }
  await sleep(cfg.settleMs);
  const rssAfterOne = processRssBytes(server.pid);
  const openFirsts = firsts.filter((c) => c.open).length;
  // A socket refused after its handshake (closed with 4009) or dropped later is counted too.
  const refusedAfterOpen = all.filter((c) => !c.open && c.closeCode === 4009).length - connect.refused;
  await closeAll(all, { timeoutMs: 10_000 });
  return {
    bytesPerSocket: open > 0 ? round((rssIdle - rssBase) / open) : null,
    bytesPerSocketAfterOne: open > 0 && rssAfterOne ? round((rssAfterOne - rssBase) / open) : null,
    heardOne: heard.reduce((a, b) => a + b, 0),
    sockets: open + openFirsts,
    wanted: all.length,
    notAttempted: connect.notAttempted,
    connectFailed: connect.failed,
    refused: connect.refused + Math.max(0, refusedAfterOpen),
    rssStartMB: round(rssStart / 2 ** 20, 1),
    rssBaseMB: round(rssBase / 2 ** 20, 1),
    rssIdleMB: round(rssIdle / 2 ** 20, 1),
    socketDrops: all.reduce((n, c) => n + c.drops, 0),
    connectMs: connect.ms,
    connectFailures: connect.failures,
    connectErrors: connect.errors,
  };
}

/** S5: every socket has seen event P (so it knows where it is), then all drop at once; 100 events
 * are published into the empty room; then all 1,000 resume at the same moment with since/epoch
 * while `live` more events arrive. catchUpMs: from the storm's start until the last socket holds
 * all 100 missed events. Every socket must end with every event exactly once. */
async function reconnectStorm({ target, server, cfg, tag }) {
  const phase = new Phase(tag, { expected: cfg.sockets });
  const { room, clients, connect } = await openRoom(target, server, `s5-${tag}`, cfg.sockets, phase);
  const pub = new Publisher(room, phase, { concurrency: 4 });

  // Event 0 positions everyone.
  await pub.publish(0);
  await phase.drain({ quietMs: 3000, maxMs: 10_000 });
  const positioned = clients.filter((c) => c.seen[0] === 1).length;

  await closeAll(clients, { terminate: true });
  await sleep(200);

  // Events 1..missed while nobody is there.
  let next = 1;
  const missedEnd = cfg.missed; // ids 1..missed
  const publishRange = async (from, to) => {
    let i = from;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (i <= to) await pub.publish(i++);
      }),
    );
  };
  await publishRange(next, missedEnd);
  next = missedEnd + 1;
  await sleep(100);

  const missedIds = [];
  for (let i = 1; i <= missedEnd; i++) missedIds.push(i);
  for (const c of clients) {
    c.recoveredBefore = c.recovered;
    c.fallbacksBefore = c.fallbacks;
  }
  const caughtUpAt = new Array(cfg.sockets).fill(null);
  let caughtUp = 0;
  const stormStart = now();

  // Track per socket when it holds every missed event.
  const check = (c) => {
    if (caughtUpAt[c.id] !== null) return;
    for (const i of missedIds) if (!c.seen[i]) return;
    caughtUpAt[c.id] = now();
    caughtUp++;
  };
  const onDeliver = phase.deliver.bind(phase);
  phase.deliver = (client, ev, at) => {
    onDeliver(client, ev, at);
    if (target.resume) check(client);
  };

  const storm = connectAll(
    clients,
    (c) => room.socketUrl(c.id, target.resume ? { since: c.lastSeq, epoch: c.epoch } : {}),
    { batch: clients.length, attempts: 4 },
  );
  // Live events during the storm: they must land after the replay, once.
  const live = (async () => {
    for (let k = 0; k < cfg.live; k++) {
      await sleep(50);
      await pub.publish(next + k);
    }
  })();
  const stormResult = await storm;
  const reconnectMs = round(now() - stormStart);
  await live;

  // Every resuming socket ends its catch-up with a recovered:true marker or a recovered:false
  // snapshot; settledMs is when the last one had its answer, caught up or not.
  let catchUpMs = null;
  let settledMs = null;
  if (target.resume) {
    const deadline = now() + 15_000;
    while (now() < deadline) {
      if (settledMs === null && clients.every((c) => c.recovered > c.recoveredBefore || c.fallbacks > c.fallbacksBefore)) {
        settledMs = round(now() - stormStart);
      }
      if (caughtUp === clients.length || (settledMs !== null && now() - stormStart > settledMs + 2000)) break;
      await sleep(10);
    }
    catchUpMs = caughtUp === clients.length ? round(Math.max(...caughtUpAt.filter((t) => t !== null)) - stormStart) : null;
  }
  await phase.drain({ quietMs: 2000, maxMs: 8000 });

  // Loss/duplicates over every event published after P.
  let lost = 0;
  let repeated = 0;
  const lastId = next + cfg.live - 1;
  const lostById = {};
  let silentGaps = 0; // sockets told recovered:true that still miss a missed event
  for (const c of clients) {
    let gap = false;
    for (let i = 1; i <= lastId; i++) {
      if (!phase.accepted[i]) continue;
      const n = c.seen[i] ?? 0;
      if (n === 0) {
        lost++;
        lostById[i] = (lostById[i] ?? 0) + 1;
        if (i <= missedEnd) gap = true;
      } else if (n > 1) repeated += n - 1;
    }
    if (gap && c.recovered > c.recoveredBefore && c.fallbacks === c.fallbacksBefore) silentGaps++;
  }
  const result = {
    catchUpMs,
    settledMs,
    reconnectMs,
    lost: target.resume ? lost : null,
    repeated,
    silentGaps: target.resume ? silentGaps : null,
    caughtUp: target.resume ? caughtUp : null,
    positioned,
    recovered: clients.reduce((n, c) => n + (c.recovered > c.recoveredBefore ? 1 : 0), 0),
    snapshotFallbacks: clients.reduce((n, c) => n + c.fallbacks - c.fallbacksBefore, 0),
    failedPublishes: pub.failedPublishes,
    abandonedPublishes: pub.abandoned,
    failures: pub.failures,
    connectMs: connect.ms,
    reconnectFailed: stormResult.failed,
    reconnectErrors: stormResult.errors,
    ...(lost > 0 ? { lostById: Object.fromEntries(Object.entries(lostById).slice(0, 20)) } : {}),
    ...(target.resume ? {} : { note: "no history: a resuming socket cannot get missed events" }),
  };
  await closeAll(clients);
  pub.close();
  return result;
}

function pick(o, keys) {
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

/** What every fan-out scenario reports about delivery and publishing, in one shape. */
function deliveryFigures({ pub, phase, clients, connect, drainMs, usage }) {
  return {
    failedPublishes: pub.failedPublishes,
    abandonedPublishes: pub.abandoned,
    lost: phase.lost(),
    duplicates: phase.duplicates,
    published: phase.published,
    socketDrops: clients.reduce((n, c) => n + c.drops, 0),
    failures: pub.failures,
    connectMs: connect.ms,
    drainMs,
    ...usage,
  };
}

/**
 * C1 calibration (issue 26 item 3): 1,000 sockets, `events` events of 200 bytes, at most
 * `inFlight` POSTs open at once (each worker POSTs again as soon as its answer is back).
 * deliveriesPerSec = every first-time delivery / (first POST -> last delivery); latency covers
 * every (event, socket) pair, POST -> receipt. Run by bench/calibration.mjs, not by run.mjs.
 */
export const CALIBRATION = { sockets: 1000, events: 200, inFlight: 4 };

export async function calibration({ target, server, cfg = CALIBRATION, tag }) {
  const phase = new Phase(tag, { expected: cfg.sockets, latencyFrom: 0 });
  const { room, clients, connect } = await openRoom(target, server, `c1-${tag}`, cfg.sockets, phase);
  const pub = new Publisher(room, phase, { concurrency: cfg.inFlight });
  const cpu = new CpuMeter(server.pid, server.core);
  let next = 0;
  cpu.start();
  const t0 = now();
  const worker = async () => {
    while (next < cfg.events) await pub.publish(next++);
  };
  await Promise.all(Array.from({ length: cfg.inFlight }, worker));
  const drainMs = await phase.drain();
  const usage = cpu.stop();
  const lastAt = phase.lastProgress;
  await closeAll(clients);
  pub.close();
  return {
    deliveriesPerSec: round(phase.deliveries / ((lastAt - t0) / 1000)),
    ...pick(phase.latency.summary(), ["p50Ms", "p95Ms", "p99Ms", "maxMs"]),
    ...deliveryFigures({ pub, phase, clients, connect, drainMs, usage }),
  };
}
