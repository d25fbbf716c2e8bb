// Renders bench/AIMS.md from one run of bench/aims.mjs: each of issue 26's aims with its figure,
// the baseline it is measured against (same run), and whether it holds. Pure: the run's files in,
// markdown out.
const fmt = (v, digits = 0) => (v === null || v === undefined || Number.isNaN(v) ? "–" : Number(v).toLocaleString("en-US", { maximumFractionDigits: digits }));
const x = (v) => (v === null || v === undefined || !Number.isFinite(v) ? "–" : `${v.toFixed(v < 1 ? 3 : 2)}x`);
const ratio = (a, b) => (a === null || a === undefined || !b ? null : a / b);
/** "holds" / "not met" for a ratio against its bound; "not measured" when a figure is missing. */
const verdict = (v, bound, atLeast) => (v === null ? "not measured" : (atLeast ? v >= bound : v <= bound) ? "**holds**" : "not met");

export function aimRows({ suite, calibration, connect, connectWrangler, games }) {
  const rows = [];
  const add = (aim, figure, baseline, v, bound, atLeast, source) => rows.push({ aim, figure, baseline, ratio: v, holds: verdict(v, bound, atLeast), source });

  const g = games?.runs?.at(-1)?.results ?? [];
  const by = (t, G) => g.find((r) => r.target === t && r.G === G && !r.failed);
  for (const G of [100, 500]) {
    const h = by("hearth-workerd", G);
    const c = by("colyseus", G);
    const r = by("raw-workerd-plain", G);
    add(`games at ${G}: rolls/s at least 0.25x Colyseus`, h && `${fmt(h.rollsPerSec, 1)} rolls/s`, c && `Colyseus ${fmt(c.rollsPerSec, 1)}`, ratio(h?.rollsPerSec, c?.rollsPerSec), 0.25, true, "games");
    add(`games at ${G}: p99 at most 5x Colyseus's`, h && `${fmt(h.p99Ms, 1)} ms`, c && `Colyseus ${fmt(c.p99Ms, 1)} ms`, ratio(h?.p99Ms, c?.p99Ms), 5, false, "games");
    if (r && c) rows.push({ aim: `(the platform's floor at ${G}: the raw object per game against Colyseus)`, figure: `${fmt(r.rollsPerSec, 1)} rolls/s, p99 ${fmt(r.p99Ms, 1)} ms`, baseline: `Colyseus`, ratio: ratio(r.rollsPerSec, c.rollsPerSec), holds: `p99 ${x(ratio(r.p99Ms, c.p99Ms))}`, source: "games" });
  }

  const cal = calibration?.summary ?? {};
  const seed = cal["hearth-seed"];
  const raw = cal.raw;
  add("no batch=1 (C1): deliveries/s at least 1.0x the raw DO", seed && `${fmt(seed.deliveriesPerSec)} /s`, raw && `raw ${fmt(raw.deliveriesPerSec)}`, ratio(seed?.deliveriesPerSec, raw?.deliveriesPerSec), 1, true, "calibration");
  add("no batch=1 (C1): p99 at most 1.0x the raw DO's", seed && `${fmt(seed.p99Ms, 1)} ms`, raw && `raw ${fmt(raw.p99Ms, 1)} ms`, ratio(seed?.p99Ms, raw?.p99Ms), 1, false, "calibration");
  if (seed && cal.partyserver) rows.push({ aim: "(no batch=1 (C1) against partyserver)", figure: `${fmt(seed.deliveriesPerSec)} /s`, baseline: `partyserver ${fmt(cal.partyserver.deliveriesPerSec)}`, ratio: ratio(seed.deliveriesPerSec, cal.partyserver.deliveriesPerSec), holds: `p99 ${x(ratio(seed.p99Ms, cal.partyserver.p99Ms))}`, source: "calibration" });
  const lost = ["hearth-seed", "hearth-default"].reduce((n, t) => n + (cal[t]?.lost ?? 0) + (cal[t]?.duplicates ?? 0), 0);
  if (seed) rows.push({ aim: "C1: nothing lost or doubled (Hearth)", figure: `${lost} lost or doubled`, baseline: "", ratio: null, holds: lost === 0 ? "**holds**" : "not met", source: "calibration" });

  const s1 = suite?.scenarios?.S1 ?? {};
  add("with batches (S1): at least 3x the raw DO's deliveries/s", s1["hearth-default"] && `${fmt(s1["hearth-default"].deliveriesPerSec)} /s`, s1.raw && `raw ${fmt(s1.raw.deliveriesPerSec)}`, ratio(s1["hearth-default"]?.deliveriesPerSec, s1.raw?.deliveriesPerSec), 3, true, "suite");

  const cc = connect?.summary;
  add("open 1,000 sockets, presence on: at most 1.2x raw (project's bench)", cc?.hearth && `${fmt(cc.hearth.openMs)} ms`, cc?.raw && `raw ${fmt(cc.raw.openMs)} ms`, ratio(cc?.hearth?.openMs, cc?.raw?.openMs), 1.2, false, "connect");
  if (seed && raw) add("open 1,000 sockets in C1, presence on: at most 1.2x raw", `${fmt(seed.connectMs)} ms`, `raw ${fmt(raw.connectMs)} ms`, ratio(seed.connectMs, raw.connectMs), 1.2, false, "calibration");
  const cw = connectWrangler?.summary;
  add("open 1,000 sockets, presence on: at most 1.2x raw (through `wrangler dev`)", cw?.hearth && `${fmt(cw.hearth.openMs)} ms`, cw?.raw && `raw ${fmt(cw.raw.openMs)} ms`, ratio(cw?.hearth?.openMs, cw?.raw?.openMs), 1.2, false, "connect-wrangler");

  const s4 = suite?.scenarios?.S4 ?? {};
  for (const [t, label] of [["hearth", "presence off"], ["hearth-default", "default, presence on"]]) {
    add(`S4 idle memory (${label}): at most 1.0x partyserver's per socket`, s4[t] && `${fmt(s4[t].bytesPerSocket)} B`, s4.partyserver && `partyserver ${fmt(s4.partyserver.bytesPerSocket)} B`, ratio(s4[t]?.bytesPerSocket, s4.partyserver?.bytesPerSocket), 1, false, "suite");
  }
  return rows;
}

export function renderAims(run) {
  const rows = aimRows(run);
  const steps = run.steps?.steps ?? [];
  // Paths inside the checkout, whatever directory it was run from.
  const rel = (text) => text.replace(/\S*\/bench\/runs\//g, "bench/runs/");
  const stepLines = steps.map((s) => `| ${s.name} | \`${rel(s.command)}\`${Object.keys(s.env).length ? ` with ${Object.entries(s.env).map(([k, v]) => `${k}=${rel(v)}`).join(" ")}` : ""} | ${s.started.slice(11, 19)}-${s.ended.slice(11, 19)}Z | ${s.loadStart.join(" ")} -> ${s.loadEnd.join(" ")} | ${s.exitCode} |`);
  const held = rows.filter((r) => r.holds === "**holds**").length;
  const judged = rows.filter((r) => r.holds === "**holds**" || r.holds === "not met").length;
  return `# Issue 26's aims, one run

Every figure below comes from one run of \`npm run bench:aims\` (bench/aims.mjs), ${steps[0]?.started.slice(0, 10) ?? "?"},
each against its baseline measured in the same step (targets in alternation, a fresh server per
measurement, server pinned to cpu 1 and load generator to cpu 0; the steps one after another).
Machine: ${run.steps?.machine ? `${run.steps.machine.cpu}, ${run.steps.machine.cores} cores, Node ${run.steps.machine.node}` : "?"}, shared with other work: read the ratios, and
the load average of each step. Raw files: \`${run.dir}/\`. ${held} of ${judged} aims hold in this run.

| aim | Hearth | baseline (same step) | ratio | holds? | step |
| --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.aim} | ${r.figure ?? "–"} | ${r.baseline ?? "–"} | ${x(r.ratio)} | ${r.holds} | ${r.source} |`).join("\n")}

Rows in parentheses are context, not aims. Games: Hearth as a browser connects (its sockets offer
permessage-deflate); the raw object's clients offer none. C1 is the seeds' path (no \`batch=1\`,
presence on); S1 the SDK's (\`batch=1\`, the default room); S4 every socket idle after connect
(bench/README.md). Reliability (0 lost, 0 doubled under faults) is the reliability suite's, run by
\`.ci/run\`, not a benchmark.

| step | command | UTC | load average start -> end | exit |
| --- | --- | --- | --- | --- |
${stepLines.join("\n")}
`;
}
