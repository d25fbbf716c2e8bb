#!/usr/bin/env node
// `npm run build:sdk`, the first build step of `npm test`: builds the client SDK, the workspace
// package @hearth/client (packages/client), into packages/client/dist/ with the package's own
// build (packages/client/build.mjs: esbuild for the JS, tsc for the .d.ts). The demo, the e2e
// suite and the root's `hearth/client` exports all use that build.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const build = fileURLToPath(new URL("../packages/client/build.mjs", import.meta.url));
const result = spawnSync(process.execPath, [build], { stdio: "inherit" });
process.exit(result.status ?? 1);
