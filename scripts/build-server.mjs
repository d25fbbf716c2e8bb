#!/usr/bin/env node
// Builds @hearth/server (packages/server) from src/server: esbuild writes dist/index.js (the
// server: createHearth, defineSystem, the route kit) and dist/testing.js (`@hearth/server/testing`),
// ESM for workerd, and the same two under dist/node/ for plain Node (unit tests); tsc -p packages/server/tsconfig.build.json writes the .d.ts files; the
// core's D1 migrations are copied to dist/migrations. dist/ is git-ignored: `npm pack
// packages/server` after this makes the tarball (scripts/test-starter.mjs does both).
//
// hono, jose and zod stay external (the package's dependencies: one copy with the user's own
// zod and hono), and so does `cloudflare:workers` (the runtime's). src/systems is never reached
// from src/server, so no system of this repo's is in the output (checked below).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}packages/server/dist`;
/**
 * The D1 tables the core itself reads and writes (room directory, revocations, socket_rooms), in
 * order; 0004 moves 0001's table to its new shape. 0002 (quests) and 0003 (campaigns) belong to
 * this repo's systems. A new core migration is added here too.
 */
const CORE_MIGRATIONS = ["0001_directory.sql", "0004_room_directory.sql", "0005_revocations.sql"];

const started = Date.now();
rmSync(out, { recursive: true, force: true });

const options = {
  absWorkingDir: root,
  entryPoints: { index: "src/server/index.ts", testing: "src/server/testing/index.ts" },
  outdir: out,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: ["es2022"],
  external: ["hono", "hono/*", "jose", "zod", "cloudflare:workers"],
  sourcemap: true,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
};
// The `workerd` build (wrangler and @cloudflare/vitest-plugin resolve it): the real runtime.
const result = await build(options);
// The `node` build: the same code with `cloudflare:workers` replaced by a stand-in
// (src/server/nodeRuntimeStub.ts), so a system's unit tests in plain Node can import the package.
const nodeRuntime = {
  name: "node-runtime-stub",
  setup(b) {
    b.onResolve({ filter: /^cloudflare:workers$/ }, () => ({ path: `${root}src/server/nodeRuntimeStub.ts` }));
  },
};
// No source maps there: it only serves tests, and maps (with their sources) are most of the package's size.
await build({ ...options, outdir: `${out}/node`, external: options.external.filter((e) => e !== "cloudflare:workers"), plugins: [nodeRuntime], sourcemap: false });

const fromSystems = Object.keys(result.metafile.inputs).filter((file) => file.startsWith("src/systems/"));
if (fromSystems.length > 0) {
  console.error(`build-server: the package must not contain this repo's systems, but it bundles ${fromSystems.join(", ")}`);
  process.exit(1);
}

const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "packages/server/tsconfig.build.json"], { cwd: root, stdio: "inherit" });
if (tsc.status !== 0) {
  console.error("build-server: tsc (declarations) failed");
  process.exit(tsc.status ?? 1);
}

mkdirSync(`${out}/migrations`, { recursive: true });
for (const file of CORE_MIGRATIONS) copyFileSync(`${root}migrations/${file}`, `${out}/migrations/${file}`);

const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith(".js"))
  .map(([file, { bytes }]) => `${file.replace(/^packages\/server\//, "")} (${Math.round(bytes / 1024)} KiB)`);
console.log(`build-server: ${sizes.join(", ")} + .d.ts + ${CORE_MIGRATIONS.length} migrations in ${Date.now() - started} ms`);
