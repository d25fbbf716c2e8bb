#!/usr/bin/env node
// `npm start`: Hearth locally with zero configuration. Writes a random dev
// secret to .dev.vars (git-ignored) if there is none, applies the D1
// migrations to the local database, then runs `wrangler dev`. Extra arguments
// go to `wrangler dev` (`npm start -- --ip 0.0.0.0`); a `--persist-to <dir>`
// among them is used for the migrations too, so that state is complete.
//
// Two things a local run needs to hold many sockets (bench/README.md, bench/holdSockets.mjs):
// - Every socket costs wrangler dev's workerd about 4 file descriptors, and a shell's default soft
//   limit (often 1,024) ends a local server at about 250 sockets; at its limit workerd crashes and
//   every socket drops. Node cannot raise its own limit (no setrlimit), so
//   wrangler starts through `sh -c 'ulimit -Sn <hard>; exec ...'`, which raises the soft limit to
//   the hard one for wrangler and the workerd it starts; the limit it got is printed.
// - wrangler dev records a trace of every invocation into the local state directory
//   (`<state>/v3/observability`, hundreds of MB after a few thousand game rolls) unless
//   X_LOCAL_OBSERVABILITY is false. It is off here unless you set the variable yourself
//   (X_LOCAL_OBSERVABILITY=true npm start turns the local trace explorer back on).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const devVars = new URL("../.dev.vars", import.meta.url);
if (!existsSync(devVars) || !/^HEARTH_JWT_SECRET=/m.test(readFileSync(devVars, "utf8"))) {
  writeFileSync(devVars, `HEARTH_JWT_SECRET=${randomBytes(32).toString("hex")}\n`, { flag: "a" });
  console.log("hearth: wrote a local HEARTH_JWT_SECRET to .dev.vars");
}

const extra = process.argv.slice(2);
// Only --persist-to matters here; everything else is wrangler dev's business.
const { values } = parseArgs({ args: extra, options: { "persist-to": { type: "string" } }, strict: false, allowPositionals: true });
const persistTo = typeof values["persist-to"] === "string" ? ["--persist-to", values["persist-to"]] : [];

// wrangler's own script under this Node (npm scripts run Node 24; `npx` would find the PATH's node).
const wranglerBin = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const env = { ...process.env, X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? "false" };

const migrated = spawnSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", "DIRECTORY", "--local", ...persistTo], {
  stdio: "inherit",
  cwd: root,
  env: { ...env, CI: "1" },
});
if (migrated.status !== 0) process.exit(migrated.status ?? 1);

// Raise the soft open-file limit to the hard one, report what we got, then become wrangler.
const raiseLimit = [
  'hard=$(ulimit -Hn); ulimit -Sn "$hard" 2>/dev/null || echo "hearth: could not raise the open-file limit to $hard" >&2',
  // wrangler dev's workerd holds about 4 descriptors per WebSocket; at the limit it crashes (and
  // wrangler restarts it, dropping every socket): 20,000 held about 4,900 sockets (bench/LOCAL-CAPACITY.md).
  'soft=$(ulimit -Sn); case "$soft" in unlimited) n="no limit" ;; *) n="about $((soft / 4)) sockets at most" ;; esac',
  'echo "hearth: open-file limit $soft (hard $hard): $n (about 4 descriptors per WebSocket)"',
  'case "$soft" in unlimited) ;; *) [ "$soft" -lt 16384 ] && echo "hearth: that is low for many sockets; raise the hard limit (e.g. /etc/security/limits.conf)" >&2 ;; esac',
  'exec "$@"',
].join("; ");
const port = process.env.PORT ?? "8787";
const dev = spawn("sh", ["-c", raiseLimit, "sh", process.execPath, wranglerBin, "dev", "--port", port, ...extra], { stdio: "inherit", cwd: root, env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => dev.kill(sig));
dev.on("exit", (code) => process.exit(code ?? 0));
