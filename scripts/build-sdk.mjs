#!/usr/bin/env node
// Builds the client SDK (src/client) into dist/client/ (git-ignored) so `hearth/client`
// imports from plain Node or a browser without a bundler: esbuild writes index.js
// (ESM, platform neutral, es2022) and tsc -p src/client/tsconfig.build.json the .d.ts files.
// Two entries: index.js (`hearth/client`, no dependencies) and react.js
// (`hearth/client/react`, imports the optional peer `react`, left external). Code splitting
// puts what both share in chunks/, so both entries use ONE HearthSocket/HearthClientError
// class (instanceof works across them) and the core is not shipped twice.
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
  entryPoints: { index: "src/client/index.ts", react: "src/client/react/index.ts" },
  outdir: "dist/client",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  external: ["react"],
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
const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith(".js"))
  .map(([file, { bytes }]) => `${file} (${Math.round(bytes / 1024)} KiB)`);
console.log(`build-sdk: ${sizes.join(", ")} + .d.ts in ${Date.now() - started} ms`);
