#!/usr/bin/env node
// Writes bench/RESULTS.md again from the newest raw run in bench/.out/ (run-*.json, written by
// every `npm run bench`), without measuring anything: for after an edit of bench/ANALYSIS.md or
// of the report's layout. `node bench/render.mjs [path/to/run.json]`.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderResults } from "./report.mjs";
import { SCENARIOS } from "./scenarios.mjs";
import { TARGETS } from "./targets.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, ".out");
const file = process.argv[2] ?? path.join(out, readdirSync(out).filter((f) => /^run-.*\.json$/.test(f)).sort().at(-1) ?? "");
const run = JSON.parse(readFileSync(file, "utf8"));
const { markdown } = renderResults({ ...run, targets: TARGETS, scenarios: SCENARIOS, budgetHit: false });
writeFileSync(path.join(here, "RESULTS.md"), markdown);
console.log(`render: bench/RESULTS.md from ${path.relative(process.cwd(), file)} (${run.date})`);
