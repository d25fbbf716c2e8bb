// `hearth tail` survives a server restart: a real `wrangler dev` of this test's own (restartable
// on the same port and state dir, e2e/wranglerServer.mjs), the real CLI as a child process. The
// tail is frozen (SIGSTOP) across the restart while events are posted, so those can only reach
// it by the resume replay (since/epoch); more are posted live after it. Every event must be
// printed once, in order, after one snapshot. A second restart, not frozen, has the tail retry
// against the stopped server until it is back. The other commands run against the same server.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ARTIFACTS } from "./helpers.mjs";
import { wranglerServer } from "./wranglerServer.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = `${root}bin/hearth.mjs`;
let server;
let env;

before(async () => {
  server = await wranglerServer({ stateDir: ".wrangler/e2e-cli-state", log: `${ARTIFACTS}cli-wrangler.log` });
  await server.start();
  env = { ...process.env, H: server.base };
  delete env.HEARTH_TOKEN;
});
after(async () => server?.close());

/** Runs the CLI to completion. */
function hearth(args, extraEnv = {}) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, env: { ...env, ...extraEnv }, encoding: "utf8", timeout: 30_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

function hearthOk(args, extraEnv) {
  const run = hearth(args, extraEnv);
  assert.equal(run.code, 0, `hearth ${args.join(" ")} exited ${run.code}:\n${run.out}\n${run.err}`);
  return run.out.trim();
}

/** Polls `check` every 50 ms until it returns a truthy value; fails with `what` after `ms`. */
async function until(what, check, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("the commands: token, post (idempotent), rooms, inspect --at, readable errors", () => {
  const token = hearthOk(["token", "--sub", "ops", "--scope", "rooms:admin events:publish"]);
  const auth = { HEARTH_TOKEN: token };
  const room = `cli-cmd-${Date.now()}`;
  assert.equal(JSON.parse(hearthOk(["post", "/api/rooms", JSON.stringify({ roomId: room })], auth)).roomId, room);
  const first = JSON.parse(hearthOk(["post", room, '{"type":"publish","data":{"n":1}}', "--idempotency-key", "k1"], auth));
  assert.equal(first.seq, 1);
  const retry = hearth(["post", room, '{"type":"publish","data":{"n":1}}', "--idempotency-key", "k1"], auth);
  assert.equal(retry.code, 0);
  assert.deepEqual(JSON.parse(retry.out), { ...first, replayed: true });
  assert.match(retry.err, /a replay/);
  hearthOk(["post", room, '{"type":"publish","data":{"n":2}}'], auth);

  const listed = hearthOk(["rooms", "--kind", "relay", "--json"], auth).split("\n").map((l) => JSON.parse(l));
  assert.ok(listed.some((r) => r.name === room && r.kind === "relay" && r.href === `/api/rooms/${room}`), JSON.stringify(listed));
  assert.match(hearthOk(["rooms"]), new RegExp(`^${room} +relay `, "m")); // no token: the CLI mints one locally

  const atOne = JSON.parse(hearthOk(["inspect", room, "--at", "1", "--json"], auth));
  assert.equal(atOne.at, 1);
  assert.equal(atOne.state.published, 1);
  assert.equal(JSON.parse(hearthOk(["inspect", room], auth)).seq, 2);

  const tooFar = hearth(["inspect", room, "--at", "99"], auth);
  assert.equal(tooFar.code, 1);
  assert.match(tooFar.err, /^hearth: .*\[BAD_SEQ\]$/m);
  const notJson = hearth(["post", room, "{nope"], auth);
  assert.equal(notJson.code, 1);
  assert.match(notJson.err, /\[BAD_JSON\]/);
  const badToken = hearth(["rooms"], { HEARTH_TOKEN: "not-a-jwt" });
  assert.equal(badToken.code, 1);
  assert.match(badToken.err, /\[TOKEN_INVALID\]/);
});

test("hearth tail prints every event once, in order, across server restarts", async () => {
  const token = hearthOk(["token", "--sub", "tailer", "--scope", "rooms:admin events:publish", "--ttl", "3600"]);
  const auth = { HEARTH_TOKEN: token };
  const room = `cli-tail-${Date.now()}`;
  hearthOk(["post", "/api/rooms", JSON.stringify({ roomId: room })], auth);
  const publish = (n) => JSON.parse(hearthOk(["post", room, JSON.stringify({ type: "publish", data: { n } }), "--idempotency-key", `e${n}`], auth));

  const tail = spawn(process.execPath, [bin, "tail", room, "--json"], { cwd: root, env: { ...env, ...auth }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  tail.stdout.on("data", (c) => (out += c));
  tail.stderr.on("data", (c) => (err += c));
  const exited = new Promise((resolve) => tail.on("exit", (code, signal) => resolve({ code, signal })));
  const frames = () => out.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const printed = (type) => frames().filter((f) => f.type === type);
  try {
    await until("the tail's snapshot", () => printed("snapshot").length === 1);
    for (const n of [1, 2, 3]) assert.equal(publish(n).seq, n);
    await until("events 1-3 on the tail", () => printed("publish").length >= 3);

    // Frozen across the restart: what is posted meanwhile can only arrive by the resume replay.
    tail.kill("SIGSTOP");
    await server.stop();
    await server.start();
    for (const n of [4, 5, 6]) assert.equal(publish(n).seq, n);
    tail.kill("SIGCONT");
    await until("the tail to resume after the restart", () => /resumed: every frame up to #6 delivered/.test(err) && printed("publish").length >= 6);
    for (const n of [7, 8, 9]) assert.equal(publish(n).seq, n);
    assert.equal(publish(9).replayed, true); // a retried post is answered again, not applied again
    assert.equal(publish(10).seq, 10);
    await until("events 7-10 on the tail", () => printed("publish").length >= 10);

    // Not frozen this time: the tail finds the server gone and keeps retrying until it is back.
    const failedBefore = (err.match(/reconnecting in/g) ?? []).length;
    await server.stop();
    await until("the tail to retry against the stopped server", () => (err.match(/reconnecting in/g) ?? []).length >= failedBefore + 2);
    await server.start();
    await until("the tail to resume after the second restart", () => (err.match(/resumed: every frame up to #10 delivered/g) ?? []).length === 1);
    for (const n of [11, 12]) assert.equal(publish(n).seq, n);
    await until("events 11-12 on the tail", () => printed("publish").length >= 12);
  } finally {
    tail.kill("SIGCONT");
    tail.kill("SIGTERM");
    writeFileSync(`${ARTIFACTS}cli-tail.log`, `${out}\n--- stderr\n${err}`);
  }
  assert.deepEqual(await exited, { code: 0, signal: null }, `tail's stderr:\n${err}`);
  const all = frames();
  assert.equal(all[0].type, "snapshot");
  assert.equal(printed("snapshot").length, 1, "one snapshot: the restart was bridged by a resume, not a fresh state");
  const events = printed("publish");
  const all12 = Array.from({ length: 12 }, (_, i) => i + 1);
  assert.deepEqual(events.map((f) => f.seq), all12, `every event once, in order:\n${out}`);
  assert.deepEqual(events.map((f) => f.data.n), all12);
  assert.equal(new Set(events.map((f) => f.epoch)).size, 1);
  assert.match(err, /socket closed/, "the tail saw the restart");
});
