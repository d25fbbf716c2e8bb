#!/usr/bin/env node
// Builds the client SDK (src/client) into dist/client/ (git-ignored) so `hearth/client`
// imports from plain Node or a browser without a bundler: esbuild writes index.js
// (ESM, platform neutral, es2022) and tsc -p src/client/tsconfig.build.json the .d.ts files.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const started = Date.now();
rmSync(new URL("../dist/client", import.meta.url), { recursive: true, force: true });
rmSync(new URL("../dist/core", import.meta.url), { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/client/index.ts"],
  outfile: "dist/client/index.js",
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: ["es2022"],
  sourcemap: true,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "src/client/tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit",
});
if (tsc.status !== 0) {
  console.error("build-sdk: tsc (declarations) failed");
  process.exit(tsc.status ?? 1);
}
const bytes = result.metafile.outputs["dist/client/index.js"]?.bytes ?? 0;
console.log(`build-sdk: dist/client/index.js (${Math.round(bytes / 1024)} KiB) + .d.ts in ${Date.now() - started} ms`);
