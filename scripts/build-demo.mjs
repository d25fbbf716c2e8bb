#!/usr/bin/env node
// Bundles the browser demo (demo/main.ts + the client SDK + the example quest) into
// public/build/ (git-ignored), which wrangler's [assets] serves at `/build/...` next to
// public/index.html. Runs as wrangler's [build] command (dev and deploy) and before the
// e2e suite. `--check` also typechecks demo/ against the DOM (tsc -p demo) first.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

if (process.argv.includes("--check")) {
  const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "demo"], { cwd: root, stdio: "inherit" });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}

const started = Date.now();
const result = await build({
  absWorkingDir: root,
  entryPoints: ["demo/main.ts"],
  outfile: "public/build/app.js",
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  minify: true,
  sourcemap: true,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});
const bytes = result.metafile.outputs["public/build/app.js"]?.bytes ?? 0;
console.log(`build-demo: public/build/app.js (${Math.round(bytes / 1024)} KiB) in ${Date.now() - started} ms`);
