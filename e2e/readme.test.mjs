// The README stays true: every ```bash block marked `<!-- readme-test -->` runs as pasted (bash,
// errexit + pipefail) against the real `wrangler dev` this suite started, from the project root,
// with only H pointing at it. A block passes when it exits 0; its listeners (`npx hearth ws` /
// `tail --until ...`) exit 1 when the frame the README promises never arrives, and `curl -sf` and
// `npx hearth post` fail on any HTTP error, so a block that stops working fails here. The sample
// output in a block's comments is checked too: every sample that names a `seq` must match a line
// the block really printed (the same frame name and seq, as a fresh server sends them).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ARTIFACTS, BASE } from "./helpers.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The marked blocks, each with the heading it sits under (for the test's name). */
export function readmeBlocks(markdown) {
  const blocks = [];
  let heading = "README";
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith("## ")) heading = lines[i].slice(3).trim();
    if (lines[i].trim() !== "<!-- readme-test -->") continue;
    assert.equal(lines[i + 1]?.trim(), "```bash", `the block after the marker at README line ${i + 1} must be a bash block`);
    const end = lines.indexOf("```", i + 2);
    assert.ok(end > i, `unterminated block at README line ${i + 2}`);
    blocks.push({ heading, line: i + 2, code: lines.slice(i + 2, end).join("\n") });
    i = end;
  }
  return blocks;
}

/**
 * The seqs a block's sample output promises: comment lines that show a frame or an answer
 * (`# < {"type":"x",...,"seq":2}`, `# {"seq":1,...}`, or the CLI's `# #1 publish ...`).
 */
export function sampleClaims(code) {
  const claims = [];
  for (const line of code.split("\n")) {
    const sample = /^#\s+(?:[<>]\s+)?(.*)$/.exec(line.trim())?.[1];
    if (!sample) continue;
    const readable = /^#(\d+) (\S+)/.exec(sample);
    if (readable) {
      claims.push({ seq: Number(readable[1]), name: readable[2], readable: true, sample });
      continue;
    }
    const seq = sample.startsWith("{") ? /"seq":(\d+)/.exec(sample) : null;
    if (seq) claims.push({ seq: Number(seq[1]), name: /"(?:type|event)":"([^"]+)"/.exec(sample)?.[1] ?? null, readable: false, sample });
  }
  return claims;
}

/**
 * Whether the block's output holds the line a claim promises. A listener's `< {...}` may follow a
 * --then command's answer on the same line (curl prints no newline before the block's `echo`), so
 * lines are also cut before each `< {` / `> {`.
 */
export function claimHolds(claim, output) {
  return output.split("\n").flatMap((line) => line.split(/(?=[<>] \{)/)).some((line) => {
    if (claim.readable) return line.startsWith(`#${claim.seq} ${claim.name}`);
    const text = line.replace(/^[<>] /, "");
    if (!text.startsWith("{") || !new RegExp(`"seq":${claim.seq}[,}]`).test(text)) return false;
    return claim.name === null ? !/^\{"(?:type|event)":/.test(text) : new RegExp(`^\\{"(?:type|event)":"${claim.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`).test(text);
  });
}

const blocks = readmeBlocks(readFileSync(`${root}README.md`, "utf8"));

test("the README has runnable blocks for every system", () => {
  const headings = blocks.map((b) => b.heading).join(" | ");
  for (const part of ["Try it", "Quest", "Tabletop", "Games", "feed", "Campaign"]) assert.match(headings, new RegExp(part), `no runnable block under a heading with "${part}": ${headings}`);
});

for (const block of blocks) {
  test(`README block "${block.heading}" (line ${block.line}) runs as pasted`, { timeout: 170_000 }, () => {
    const env = { ...process.env, H: BASE };
    delete env.HEARTH_TOKEN; // each block says which token it uses
    const run = spawnSync("bash", ["-euo", "pipefail", "-c", block.code], { cwd: root, env, encoding: "utf8", timeout: 160_000 });
    const out = `${run.stdout}\n${run.stderr}`;
    writeFileSync(`${ARTIFACTS}readme-line-${block.line}.log`, out);
    assert.equal(run.status, 0, `block exited ${run.status} (signal ${run.signal}):\n${out.slice(-3000)}`);
    assert.doesNotMatch(out, /^hearth(\.mjs)?: /m, `the CLI complained:\n${out.slice(-2000)}`);
    for (const claim of sampleClaims(block.code)) assert.ok(claimHolds(claim, run.stdout), `the README's sample "${claim.sample}" promises seq ${claim.seq}${claim.name ? ` for ${claim.name}` : ""}, which the block never printed:\n${run.stdout.slice(-3000)}`);
  });
}
