#!/usr/bin/env node
// `npm start`: Hearth locally with zero configuration. Writes a random dev
// secret to .dev.vars (git-ignored) if there is none, applies the D1
// migrations to the local database, then runs `wrangler dev`.
import { spawnSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const devVars = new URL("../.dev.vars", import.meta.url);
if (!existsSync(devVars) || !/^HEARTH_JWT_SECRET=/m.test(readFileSync(devVars, "utf8"))) {
  writeFileSync(devVars, `HEARTH_JWT_SECRET=${randomBytes(32).toString("hex")}\n`, { flag: "a" });
  console.log("hearth: wrote a local HEARTH_JWT_SECRET to .dev.vars");
}

const wrangler = (args, opts = {}) => spawnSync("npx", ["wrangler", ...args], { stdio: "inherit", ...opts });
const migrated = wrangler(["d1", "migrations", "apply", "DIRECTORY", "--local"], { env: { ...process.env, CI: "1" } });
if (migrated.status !== 0) process.exit(migrated.status ?? 1);

const port = process.env.PORT ?? "8787";
const dev = spawn("npx", ["wrangler", "dev", "--port", port, ...process.argv.slice(2)], { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => dev.kill(sig));
dev.on("exit", (code) => process.exit(code ?? 0));
