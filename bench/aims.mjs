// `npm run bench:aims`: issue 26's aims measured in one run, each against its baseline measured in
// the same run, and bench/AIMS.md written with every aim, its figure and whether it holds. Runs the
// existing benches one after another, each its own process with fresh servers (they pin the server
// to cpu 1 and themselves to cpu 0), their raw JSON kept in bench/runs/aims-<time>/:
//   suite        bench/run.mjs, S1 (batched fan-out) and S4 (idle memory): Hearth, partyserver, raw DO
//   calibration  bench/calibration.mjs (C1: 1,000 sockets, 200 events, no batch=1) and its connects
//   connect      bench/connectCost.mjs: 1,000 sockets into one room, Hearth (presence on) and raw
//   connect-wrangler   the same through `wrangler dev`
//   games        bench/games.mjs at 100 and 500 games: Hearth (as browsers connect), Colyseus, and
//                the raw object per game (the platform's floor, bench/rawGame.ts)
//
//   node bench/aims.mjs [--only suite,calibration,connect,connect-wrangler,games] [--rounds 2] [--cal-rounds 5] [--game-seconds 60]
//   node bench/aims.mjs --render bench/runs/aims-<time>   (AIMS.md again from a finished run's files)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { renderAims } from "./aimsReport.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const { values: flags } = parseArgs({
  options: {
    only: { type: "string", default: "suite,calibration,connect,connect-wrangler,games" },
    rounds: { type: "string", default: "2" },
    // C1's rounds publish for ~5 s each, where one round moves by 10-25% on this machine; of two
    // rounds the "median" is the lower one (calibration.mjs), so C1 takes five.
    "cal-rounds": { type: "string", default: "5" },
    "game-seconds": { type: "string", default: "60" },
    render: { type: "string" },
  },
});
const load = () => os.loadavg().map((v) => Math.round(v * 100) / 100);
const log = (m) => process.stdout.write(`[aims ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

/** One bench as its own process (the project's Node, as npm runs it), its output to a log beside its JSON. */
function step(name, args, env, dir) {
  return new Promise((resolve) => {
    const started = new Date().toISOString();
    const loadStart = load();
    const logFile = path.join(dir, `${name}.log`);
    const out = [];
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => out.push(d));
    child.on("exit", (code) => {
      writeFileSync(logFile, Buffer.concat(out));
      resolve({ name, command: `node ${args.join(" ")}`, env, started, ended: new Date().toISOString(), loadStart, loadEnd: load(), exitCode: code });
    });
  });
}

const dir = flags.render ? path.resolve(flags.render) : path.join(here, "runs", `aims-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, "-")}`);
if (!flags.render) {
  mkdirSync(dir, { recursive: true });
  const rounds = String(Number(flags.rounds));
  const only = new Set(flags.only.split(",").map((s) => s.trim()));
  const plan = [
    ["suite", ["bench/run.mjs"], { BENCH_SCENARIOS: "S1,S4", BENCH_TARGETS: "hearth-default,hearth,partyserver,raw", BENCH_ROUNDS: rounds, BENCH_OUT: path.join(dir, "suite.json") }],
    ["calibration", ["bench/calibration.mjs"], { CAL_ROUNDS: String(Number(flags["cal-rounds"])), CAL_OUT: path.join(dir, "calibration.json") }],
    ["connect", ["bench/connectCost.mjs", "--rounds", rounds, "--variants", "raw,hearth", "--out", path.join(dir, "connect.json")], {}],
    ["connect-wrangler", ["bench/connectCost.mjs", "--server", "wrangler", "--rounds", rounds, "--variants", "raw,hearth", "--out", path.join(dir, "connect-wrangler.json")], {}],
    ["games", ["bench/games.mjs", "--games", "100,500", "--targets", "hearth-workerd,colyseus,raw-workerd-plain", "--seconds", flags["game-seconds"], "--setup-seconds", "300", "--out", path.join(dir, "games.json")], {}],
  ].filter(([name]) => only.has(name));
  const steps = [];
  for (const [name, args, env] of plan) {
    log(`${name}: starting (load ${load().join(" ")})`);
    const s = await step(name, args, env, dir);
    log(`${name}: exit ${s.exitCode}, ${Math.round((Date.parse(s.ended) - Date.parse(s.started)) / 1000)} s; log ${path.relative(root, path.join(dir, `${name}.log`))}`);
    steps.push(s);
  }
  writeFileSync(path.join(dir, "steps.json"), JSON.stringify({ machine: { cpu: os.cpus()[0]?.model ?? "?", cores: os.cpus().length, node: process.version }, steps }, null, 2) + "\n");
}

const read = (f) => (existsSync(path.join(dir, f)) ? JSON.parse(readFileSync(path.join(dir, f), "utf8")) : null);
const md = renderAims({
  dir: path.relative(root, dir),
  steps: read("steps.json"),
  suite: read("suite.json"),
  calibration: read("calibration.json"),
  connect: read("connect.json"),
  connectWrangler: read("connect-wrangler.json"),
  games: read("games.json"),
});
writeFileSync(path.join(here, "AIMS.md"), md);
log("wrote bench/AIMS.md");
