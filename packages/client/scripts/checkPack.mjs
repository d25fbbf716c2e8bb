#!/usr/bin/env node
// `npm test` step (after scripts/build-sdk.mjs): lists what `npm pack` would put in the
// @hearth/client tarball (`npm pack --dry-run --json`, scripts skipped: the build is already
// there) and fails on anything that is not the client's build, README or package.json
// (packProblems.mjs), above all server files. It also fails when the bundle's source maps name
// a source outside packages/client/src, i.e. server code was bundled into the SDK.
// Prints the tarball's size and file count.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { packProblems } from "./packProblems.mjs";

const dir = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

function fail(lines) {
  for (const line of lines) console.error(`check-pack: ${line}`);
  process.exit(1);
}

if (!existsSync(join(dir, "dist/index.js"))) fail(["packages/client/dist is missing: run node scripts/build-sdk.mjs first"]);

// Inside `npm test`, npm_execpath is the npm that runs us; run directly, the npm on PATH.
const npmCli = process.env.npm_execpath;
const [cmd, prefix] = npmCli?.endsWith(".js") ? [process.execPath, [npmCli]] : ["npm", []];
const packed = spawnSync(cmd, [...prefix, "pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: dir, encoding: "utf8" });
if (packed.status !== 0) fail([`npm pack --dry-run failed (${packed.status}):`, packed.stderr]);
const [report] = JSON.parse(packed.stdout);
const paths = report.files.map((f) => f.path);

const problems = packProblems(paths, pkg.exports);
// Every source a source map names must be the SDK's own (packages/client/src).
const src = join(dir, "src");
for (const map of paths.filter((p) => p.endsWith(".js.map"))) {
  const { sources } = JSON.parse(readFileSync(join(dir, map), "utf8"));
  for (const source of sources) {
    const abs = resolve(dir, map, "..", source);
    if (relative(src, abs).startsWith("..")) problems.push(`${map} bundles ${relative(dir, abs)}, outside packages/client/src`);
  }
}
if (problems.length > 0) fail([`${report.filename} is not the client alone:`, ...problems]);

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
console.log(`check-pack: ${report.filename}: ${paths.length} files, ${kB(report.size)} packed, ${kB(report.unpackedSize)} unpacked; no server files`);
