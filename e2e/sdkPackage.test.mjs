// @hearth/client as a user gets it: `npm pack` of packages/client (its prepack builds it), the
// tarball installed into a scratch project outside the repo (offline: the package has no
// dependencies), and a program there (fixtures/sdkConsumer.ts) that imports the package by name,
// typechecks against the shipped .d.ts, and runs under plain Node against the real `wrangler dev`:
// connect, publish over the socket and over HTTP, receive both, close, resume from the saved cursor
// with the two events it missed, and a rejected command as the package's HearthClientError.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { BASE, api, devToken } from "./helpers.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const packageDir = join(root, "packages/client");

/** npm as the suite was started (`npm run test:e2e` sets npm_execpath), else the one on PATH. */
function npm(args, cwd) {
  const cli = process.env.npm_execpath;
  const [cmd, prefix] = cli?.endsWith(".js") ? [process.execPath, [cli]] : ["npm", []];
  const result = spawnSync(cmd, [...prefix, ...args], { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
  assert.equal(result.status, 0, `npm ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

function timed(what, fn) {
  const started = performance.now();
  const result = fn();
  console.log(`sdk package: ${what} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

test("sdk package: the packed tarball, installed into a scratch project, connects, publishes, receives and resumes", { timeout: 120_000 }, async () => {
  const packDir = mkdtempSync(join(tmpdir(), "hearth-sdk-pack-"));
  const scratch = realpathSync(mkdtempSync(join(tmpdir(), "hearth-sdk-user-")));
  try {
    timed("npm pack (prepack builds)", () => npm(["pack", "--pack-destination", packDir, "--no-fund"], packageDir));
    const tarballs = readdirSync(packDir).filter((f) => f.endsWith(".tgz"));
    assert.equal(tarballs.length, 1, `one tarball: ${tarballs}`);
    const tarball = join(packDir, tarballs[0]);

    writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "hearth-sdk-user", private: true, type: "module" }, null, 2));
    timed("npm install <tarball> --offline", () => npm(["install", tarball, "--offline", "--no-audit", "--no-fund"], scratch));
    const installed = join(scratch, "node_modules/@hearth/client");
    assert.ok(existsSync(join(installed, "dist/index.js")), "the tarball's build is installed");
    assert.equal(realpathSync(installed), installed, "a real install, not a link back into the repo");
    assert.deepEqual(readdirSync(installed).sort(), ["README.md", "dist", "package.json"], "the client's files only");

    // The user's program: typechecked against the shipped declarations (nodenext, the way Node
    // resolves the package's `exports`; skipLibCheck off, so the .d.ts files themselves are checked).
    copyFileSync(fileURLToPath(new URL("./fixtures/sdkConsumer.ts", import.meta.url)), join(scratch, "consumer.ts"));
    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          lib: ["es2022", "dom"],
          strict: true,
          noEmit: true,
          erasableSyntaxOnly: true,
          skipLibCheck: false,
          types: [],
        },
        files: ["consumer.ts"],
      }),
    );
    const tsc = timed("tsc (the user's program against the package's types)", () =>
      spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", scratch], { cwd: scratch, encoding: "utf8" }),
    );
    assert.equal(tsc.status, 0, `the user's program does not typecheck against the package:\n${tsc.stdout}${tsc.stderr}`);

    const admin = await devToken({ sub: "e2e-sdkpkg-admin", scope: "rooms:admin" });
    const roomId = `sdkpkg${crypto.randomUUID().slice(0, 8)}`;
    await api("POST", "/api/rooms", admin, { roomId, config: {} });
    const env = {
      ...process.env,
      HEARTH_E2E_URL: BASE,
      ROOM: roomId,
      MEMBER_TOKEN: await devToken({ sub: "e2e-sdkpkg-user", name: "Pat" }),
      PUBLISHER_TOKEN: await devToken({ sub: "e2e-sdkpkg-svc", scope: "events:publish" }),
    };
    // Plain Node runs the .ts (type stripping); the package's own WebSocket default is Node's global one.
    const run = timed("the user's program", () =>
      spawnSync(process.execPath, ["consumer.ts"], { cwd: scratch, env, encoding: "utf8", timeout: 90_000 }),
    );
    assert.equal(run.status, 0, `the user's program failed:\n${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(run.stdout.trim().split("\n").at(-1));

    assert.equal(report.resolved, `file://${installed}/dist/index.js`, "`@hearth/client` resolves to the installed tarball");
    assert.equal(report.resolvedReact, `file://${installed}/dist/react.js`, "`@hearth/client/react` is exported");
    assert.equal(report.snapshotSeq, 0, "a fresh room's snapshot");
    assert.equal(report.ownSeq, 1, "the socket's own publish was acknowledged with its seq");
    assert.equal(report.httpSeq, 2);
    assert.deepEqual(report.receivedSeqs, [1, 2], "both publishes arrived on the socket, in order, once each");
    assert.equal(report.position.seq, 2);
    assert.equal(typeof report.position.epoch, "string");
    assert.deepEqual(report.missed, [3, 4]);
    assert.deepEqual(report.resumed, { replayed: 2 }, "the new socket resumed from the saved cursor");
    assert.deepEqual(report.replayedSeqs, [3, 4], "exactly the missed events, in order");
    assert.equal(report.snapshotsOnResume, 0, "the log bridged the gap: no snapshot");
    assert.deepEqual(report.rejection, { code: "COMMAND_REJECTED", detailCode: "BAD_COMMAND" });
    assert.deepEqual(report.states, ["closed", "closed"]);
    assert.deepEqual(report.errors, []);
  } finally {
    rmSync(packDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
});
