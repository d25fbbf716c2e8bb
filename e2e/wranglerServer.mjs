// A `wrangler dev` a test starts, stops and starts again on the same port and state dir (the
// same rooms, D1 and secret), for tests that a restart must not break (e2e/cli.test.mjs). The
// suite's shared server (scripts/e2e.mjs) is never restarted.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort, waitFor } from "../bench/localServer.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const wranglerBin = `${root}node_modules/wrangler/bin/wrangler.js`;

/** A fresh state dir (D1 migrated) and a port; `start()` may be called again after `stop()`. */
export async function wranglerServer({ stateDir, log }) {
  rmSync(`${root}${stateDir}`, { recursive: true, force: true });
  const migrate = spawnSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", "DIRECTORY", "--local", "--persist-to", stateDir], {
    cwd: root,
    env: { ...process.env, CI: "1" },
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`D1 migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  const port = await freePort();
  const secret = randomBytes(32).toString("hex");
  const base = `http://127.0.0.1:${port}`;
  const out = createWriteStream(log, { flags: "a" });
  let child = null;

  async function start() {
    const inspectorPort = await freePort();
    out.write(`\n--- start on ${base}\n`);
    // detached: its own process group, so stop() ends workerd and the build children too.
    child = spawn(
      process.execPath,
      [wranglerBin, "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--persist-to", stateDir,
        "--var", `HEARTH_JWT_SECRET:${secret}`, "--show-interactive-dev-session=false", "--log-level", "warn"],
      { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" } },
    );
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.exited = exited;
    await Promise.race([waitFor(`${base}/health`, 120_000), exited.then(() => Promise.reject(new Error(`wrangler dev exited before it answered; see ${log}`)))]);
  }

  /** Ends the server's whole process group and waits until it is gone (SIGKILL after 10 s). */
  async function stop() {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = child.exited;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone in between
      }
    }, 10_000);
    await gone;
    clearTimeout(timer);
  }

  return { base, port, start, stop, close: async () => (await stop(), out.end()) };
}
