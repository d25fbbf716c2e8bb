// Issue 26 item 3: the calibration scenario (C1: 1,000 sockets, 200 events of 200 bytes, 4 POSTs
// in flight) for sockets that don't ask for batches (`hearth-seed`), the default room with
// batches (`hearth-default`), the raw DO and partyserver, targets in alternation, each run on a
// fresh workerd pinned to cpu 1 (this process on cpu 0), as bench/run.mjs does. The 1,000-socket
// connect time of each run (presence on for both Hearth targets) is reported beside it.
//
//   node bench/calibration.mjs                    # 3 rounds; writes bench/.out/calibration-<date>.json
//   CAL_ROUNDS=5 CAL_TARGETS=hearth-seed,raw CAL_OUT=/tmp/c.json node bench/calibration.mjs
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { round, sleep } from "./loadgen.mjs";
import { calibration, CALIBRATION } from "./scenarios.mjs";
import { TARGETS } from "./targets.mjs";
import { bundleWorker, OUT, pinToCpu } from "./workerd.mjs";

const env = process.env;
const ROUNDS = Number(env.CAL_ROUNDS ?? 3);
const targetIds = (env.CAL_TARGETS ?? "hearth-seed,hearth-default,raw,partyserver").split(",").filter((t) => TARGETS[t]);
let taskset = false;
try {
  execFileSync("taskset", ["-V"], { stdio: "ignore" });
  taskset = os.availableParallelism() >= 2;
} catch {}
if (taskset) pinToCpu(process.pid, 0);
const stateDir = `/dev/shm/hearth-cal-${process.pid}`;
const log = (m) => process.stdout.write(`[cal] ${m}\n`);

const median = (xs) => {
  const s = xs.filter((x) => typeof x === "number").sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};

async function main() {
  mkdirSync(OUT, { recursive: true });
  const scriptPath = await bundleWorker();
  const ctx = { scriptPath, stateDir, serverCpu: taskset ? 1 : null, taskset };
  const loadStart = os.loadavg().map((v) => round(v, 2));
  const runs = Object.fromEntries(targetIds.map((t) => [t, []]));
  for (let r = 1; r <= ROUNDS; r++) {
    for (const tid of targetIds) {
      const target = TARGETS[tid];
      const server = await target.start(ctx);
      let res;
      try {
        res = await calibration({ target, server, cfg: CALIBRATION, tag: `c1r${r}${tid}` });
      } catch (e) {
        res = { error: String(e?.message ?? e) };
      } finally {
        await server.stop().catch(() => {});
        rmSync(stateDir, { recursive: true, force: true });
        await sleep(300);
      }
      res.load1 = round(os.loadavg()[0], 2);
      runs[tid].push(res);
      log(`round ${r} ${tid.padEnd(15)} ${res.error ?? `deliveries/s=${res.deliveriesPerSec} p99=${res.p99Ms}ms connect=${res.connectMs}ms lost=${res.lost} dup=${res.duplicates} cpu=${res.serverCpuPct}% others=${res.serverCoreOthersPct}% load1=${res.load1}`}`);
    }
  }
  const summary = Object.fromEntries(
    targetIds.map((t) => [t, { deliveriesPerSec: median(runs[t].map((x) => x.deliveriesPerSec)), p99Ms: median(runs[t].map((x) => x.p99Ms)), p50Ms: median(runs[t].map((x) => x.p50Ms)), connectMs: median(runs[t].map((x) => x.connectMs)), lost: runs[t].reduce((n, x) => n + (x.lost ?? 0), 0), duplicates: runs[t].reduce((n, x) => n + (x.duplicates ?? 0), 0) }]),
  );
  const out = { date: new Date().toISOString(), cfg: CALIBRATION, rounds: ROUNDS, pinning: taskset ? "load generator cpu 0, workerd cpu 1" : "none", loadAvgStart: loadStart, loadAvgEnd: os.loadavg().map((v) => round(v, 2)), summary, runs };
  const file = env.CAL_OUT ? path.resolve(env.CAL_OUT) : path.join(OUT, `calibration-${out.date.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  const raw = summary.raw;
  for (const t of targetIds) {
    const s = summary[t];
    const vs = raw && t !== "raw" ? ` | ${round(s.deliveriesPerSec / raw.deliveriesPerSec, 2)}x raw deliveries/s, p99 ${round(s.p99Ms / raw.p99Ms, 2)}x raw, connect ${round(s.connectMs / raw.connectMs, 2)}x raw` : "";
    log(`${t.padEnd(15)} deliveries/s ${s.deliveriesPerSec} p50 ${s.p50Ms} p99 ${s.p99Ms} connect ${s.connectMs} ms lost ${s.lost} dup ${s.duplicates}${vs}`);
  }
  log(`wrote ${file}; load average ${loadStart.join(" / ")} -> ${out.loadAvgEnd.join(" / ")}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    rmSync(stateDir, { recursive: true, force: true });
    process.exit(1);
  },
);
