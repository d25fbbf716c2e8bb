#!/usr/bin/env node
// `npm run test:e2e`: the demo in real Chromium against a real `wrangler dev`.
//
// 1. builds the demo (typechecked) into public/build/;
// 2. starts `wrangler dev` on a free port with its own throwaway state
//    (.wrangler/e2e-state, D1 migrated) and a random HEARTH_JWT_SECRET;
// 3. waits for /health, runs e2e/*.test.mjs with node's test runner
//    (HEARTH_E2E_URL points at the server);
// 4. always stops wrangler (its whole process group), prints `N passed, N failed`.
//
// Env: CHROMIUM (default /usr/bin/chromium), E2E_TIMEOUT_MS (whole suite, default 900000: a hang guard),
// E2E_ONLY (run only the files whose name contains it, e.g. E2E_ONLY=readme).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const artifacts = `${root}e2e/artifacts`;
const stateDir = ".wrangler/e2e-state";
const suiteTimeoutMs = Number(process.env.E2E_TIMEOUT_MS ?? 900_000);
const started = Date.now();

const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(`e2e: no Chromium at ${chromium}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM.`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
const wranglerBin = `${root}node_modules/wrangler/bin/wrangler.js`;

step("build the demo");
if (run(process.execPath, ["scripts/build-demo.mjs", "--check"]).status !== 0) fail("demo build failed");

step("migrate a fresh local D1");
rmSync(`${root}${stateDir}`, { recursive: true, force: true });
const migrate = run(process.execPath, [wranglerBin, "d1", "migrations", "apply", "DIRECTORY", "--local", "--persist-to", stateDir], {
  env: { ...process.env, CI: "1" },
  stdio: ["ignore", "pipe", "pipe"],
});
if (migrate.status !== 0) {
  process.stderr.write(migrate.stdout ?? "");
  process.stderr.write(migrate.stderr ?? "");
  fail("D1 migrations failed");
}

const port = await freePort();
const inspectorPort = await freePort();
const base = `http://127.0.0.1:${port}`;
step(`start wrangler dev on ${base}`);
const wranglerLog = createWriteStream(`${artifacts}/wrangler.log`);
// detached: wrangler gets its own process group, so workerd and the build children go with it.
const wrangler = spawn(
  process.execPath,
  [
    wranglerBin, "dev",
    "--ip", "127.0.0.1",
    "--port", String(port),
    "--inspector-port", String(inspectorPort),
    "--persist-to", stateDir,
    "--var", `HEARTH_JWT_SECRET:${randomBytes(32).toString("hex")}`,
    "--show-interactive-dev-session=false",
    "--log-level", "warn",
  ],
  { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" } },
);
wrangler.stdout.pipe(wranglerLog);
wrangler.stderr.pipe(wranglerLog);
let wranglerExited = false;
wrangler.on("exit", () => (wranglerExited = true));

let stopping = false;
async function stopWrangler() {
  if (stopping || wranglerExited) return;
  stopping = true;
  try {
    process.kill(-wrangler.pid, "SIGTERM");
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + 5_000;
  while (!wranglerExited && Date.now() < deadline) await sleep(100);
  if (!wranglerExited) {
    try {
      process.kill(-wrangler.pid, "SIGKILL");
    } catch {
      // gone in between
    }
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, async () => {
    await stopWrangler();
    process.exit(130);
  });
}

let summary = { passed: 0, failed: 1 };
let exitCode = 1;
try {
  await waitForServer(base, 90_000);
  step("run e2e/*.test.mjs in Chromium");
  const files = readdirSync(`${root}e2e`)
    .filter((f) => f.endsWith(".test.mjs") && (!process.env.E2E_ONLY || f.includes(process.env.E2E_ONLY)))
    .sort()
    .map((f) => `e2e/${f}`);
  const summaryFile = `${artifacts}/summary.json`;
  const runner = spawn(
    process.execPath,
    [
      "--test",
      // One file (one Chromium) at a time: steady timings on small CI machines.
      "--test-concurrency=1",
      "--test-timeout=180000",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=./e2e/summaryReporter.mjs",
      `--test-reporter-destination=${summaryFile}`,
      ...files,
    ],
    { cwd: root, stdio: "inherit", env: { ...process.env, HEARTH_E2E_URL: base, CHROMIUM: chromium } },
  );
  const timer = setTimeout(() => {
    console.error(`e2e: suite still running after ${suiteTimeoutMs} ms; stopping it`);
    runner.kill("SIGKILL");
  }, suiteTimeoutMs);
  const code = await new Promise((resolve) => runner.on("exit", (c, signal) => resolve(signal ? 1 : (c ?? 1))));
  clearTimeout(timer);
  if (existsSync(summaryFile)) summary = JSON.parse(readFileSync(summaryFile, "utf8"));
  if (summary.passed + summary.failed === 0) summary.failed = 1; // nothing ran: that is a failure
  exitCode = code === 0 && summary.failed === 0 ? 0 : 1;
} catch (error) {
  console.error(`e2e: ${error instanceof Error ? error.message : String(error)}`);
  console.error(`e2e: wrangler output is in e2e/artifacts/wrangler.log`);
} finally {
  await stopWrangler();
  wranglerLog.end();
}
console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots and wrangler.log in e2e/artifacts/`);
console.log(`${summary.passed} passed, ${summary.failed} failed`);
process.exit(exitCode);

// ---- helpers ----------------------------------------------------------------

function step(message) {
  console.log(`\ne2e: ${message}`);
}

function fail(message) {
  console.error(`e2e: ${message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForServer(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (wranglerExited) throw new Error("wrangler dev exited before it was ready");
    try {
      const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      const page = await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
      if (health.ok && page.ok && (await page.text()).includes("Hearth demo")) return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  throw new Error(`wrangler dev did not answer /health and / within ${timeoutMs} ms`);
}
