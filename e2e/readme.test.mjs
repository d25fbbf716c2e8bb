// The README stays true: every ```bash block marked `<!-- readme-test -->` runs as pasted (bash,
// errexit + pipefail) against the real `wrangler dev` this suite started, from the project root,
// with only H pointing at it. A block passes when it exits 0; its listeners (scripts/hearth.mjs
// ws --until ...) exit 1 when the frame the README promises never arrives, and `curl -sf` fails on
// any HTTP error, so a block that stops working fails here.
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

const blocks = readmeBlocks(readFileSync(`${root}README.md`, "utf8"));

test("the README has runnable blocks for every system", () => {
  const headings = blocks.map((b) => b.heading).join(" | ");
  for (const part of ["Try it", "Quest", "Tabletop", "Games", "feed", "Campaign"]) assert.match(headings, new RegExp(part), `no runnable block under a heading with "${part}": ${headings}`);
});

for (const block of blocks) {
  test(`README block "${block.heading}" (line ${block.line}) runs as pasted`, { timeout: 90_000 }, () => {
    const env = { ...process.env, H: BASE };
    const run = spawnSync("bash", ["-euo", "pipefail", "-c", block.code], { cwd: root, env, encoding: "utf8", timeout: 80_000 });
    const out = `${run.stdout}\n${run.stderr}`;
    writeFileSync(`${ARTIFACTS}readme-line-${block.line}.log`, out);
    assert.equal(run.status, 0, `block exited ${run.status} (signal ${run.signal}):\n${out.slice(-3000)}`);
    assert.doesNotMatch(out, /hearth\.mjs: /, `the helper complained:\n${out.slice(-2000)}`);
  });
}
