#!/usr/bin/env node
// Builds the package into dist/ (git-ignored; `npm run build`, and `prepack` so a tarball is always
// fresh): esbuild writes the JS (ESM, es2022, platform neutral, no dependencies) and
// tsc -p tsconfig.build.json the .d.ts files.
// Two entries: index.js (`@hearth/client`) and react.js (`@hearth/client/react`, which imports the
// optional peer `react`, left external). Code splitting puts what both share in chunks/, so both
// entries hand out ONE HearthSocket/HearthClientError class (instanceof works across them) and the
// core is not shipped twice.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const dir = fileURLToPath(new URL(".", import.meta.url));
const started = Date.now();
rmSync(new URL("dist", import.meta.url), { recursive: true, force: true });

const result = await build({
  absWorkingDir: dir,
  entryPoints: { index: "src/index.ts", react: "src/react/index.ts" },
  outdir: "dist",
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

const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const tsc = spawnSync(process.execPath, [tscBin, "-p", "tsconfig.build.json"], { cwd: dir, stdio: "inherit" });
if (tsc.status !== 0) {
  console.error("@hearth/client build: tsc (declarations) failed");
  process.exit(tsc.status ?? 1);
}
const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith(".js"))
  .map(([file, { bytes }]) => `${file} (${(bytes / 1024).toFixed(1)} KiB)`);
console.log(`@hearth/client build: ${sizes.join(", ")} + .d.ts in ${Date.now() - started} ms`);
