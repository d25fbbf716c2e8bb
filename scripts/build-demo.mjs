#!/usr/bin/env node
// Bundles the browser demo (demo/main.ts + the client SDK + the example quest) into
// public/build/ (git-ignored), which wrangler's [assets] serves at `/build/...` next to
// public/index.html. Runs as wrangler's [build] command (dev and deploy) and before the
// e2e suite. `--check` also typechecks demo/ against the DOM (tsc -p demo) first.
// The demo imports the BUILT SDK (`@hearth/client` -> packages/client/dist/), so this first runs
// scripts/build-sdk.mjs when that build is missing or older than the package's sources.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

function sdkBuildStale() {
  const sdk = join(root, "packages/client");
  const built = ["dist/index.js", "dist/index.d.ts"].map((f) => join(sdk, f));
  if (!built.every((f) => existsSync(f))) return true;
  const builtAt = Math.min(...built.map((f) => statSync(f).mtimeMs));
  const sources = readdirSync(join(sdk, "src"), { recursive: true })
    .filter((f) => String(f).endsWith(".ts") && !String(f).endsWith(".test.ts"))
    .map((f) => join(sdk, "src", String(f)))
    .concat(["build.mjs", "tsconfig.json", "tsconfig.build.json"].map((f) => join(sdk, f)));
  return sources.some((f) => statSync(f).mtimeMs > builtAt);
}

if (sdkBuildStale()) {
  const sdk = spawnSync(process.execPath, ["scripts/build-sdk.mjs"], { cwd: root, stdio: "inherit" });
  if (sdk.status !== 0) process.exit(sdk.status ?? 1);
}

if (process.argv.includes("--check")) {
  const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "demo"], { cwd: root, stdio: "inherit" });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}

const started = Date.now();
const result = await build({
  absWorkingDir: root,
  // The demo, and the room inspector (public/inspector.html).
  entryPoints: { app: "demo/main.ts", inspector: "demo/inspector/main.ts" },
  outdir: "public/build",
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
const kib = (f) => Math.round((result.metafile.outputs[f]?.bytes ?? 0) / 1024);
console.log(`build-demo: public/build/app.js (${kib("public/build/app.js")} KiB), inspector.js (${kib("public/build/inspector.js")} KiB) in ${Date.now() - started} ms`);
