#!/usr/bin/env node
// The README's small command-line companion, so its blocks need only curl, node and this file
// (no jq, no wscat: `npx wscat` aborts without a terminal).
//
//   node scripts/hearth.mjs token '<claims json>'      a local token from POST $H/dev/token
//   node scripts/hearth.mjs get <field> [<field>...]    reads JSON on stdin, prints one field (a.b.c)
//   node scripts/hearth.mjs ws <url> [--send <json>]... [--then <shell command>] [--until <type>]
//                             [--count <n>] [--timeout <s>]
//       Opens a WebSocket, prints every frame it gets (`< ...`) and sends (`> ...`). Once the
//       first frame has arrived (the socket is in the room: a snapshot, or the seed's first
//       answer), or 500 ms after the open for a protocol that greets nobody, it sends the --send frames in order, then runs --then with sh, so an event
//       posted over HTTP is never posted before the listener is there. It exits 0 when a frame
//       whose `type` or `event` is --until has arrived (or --count frames), and 1 on timeout
//       (default 10 s) or when the socket closes first.
//
// H (default http://localhost:8787) is where Hearth runs; ws:// urls may be given relative to it.
import { spawn } from "node:child_process";
import WebSocket from "ws";

const H = process.env.H ?? "http://localhost:8787";
const [cmd, ...args] = process.argv.slice(2);

const fail = (message) => {
  console.error(`hearth.mjs: ${message}`);
  process.exit(1);
};

if (cmd === "token") {
  const res = await fetch(`${H}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: args[0] ?? "{}" });
  const body = await res.json().catch(() => ({}));
  if (!res.ok || typeof body.token !== "string") fail(`POST ${H}/dev/token -> ${res.status} ${JSON.stringify(body)}`);
  console.log(body.token);
} else if (cmd === "get") {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  const text = Buffer.concat(chunks).toString("utf8");
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    fail(`stdin is not JSON: ${text.slice(0, 200)}`);
  }
  for (const part of (args[0] ?? "").split(".").filter(Boolean)) value = value?.[part];
  if (value === undefined) fail(`no field ${args[0]} in ${text.slice(0, 200)}`);
  console.log(typeof value === "string" ? value : JSON.stringify(value));
} else if (cmd === "ws") {
  await listen(args);
} else {
  fail("usage: hearth.mjs token <claims> | get <field> | ws <url> [--send json]... [--then cmd] [--until type] [--count n] [--timeout s]");
}

async function listen(argv) {
  let url = argv[0];
  if (!url) fail("ws needs a url");
  if (url.startsWith("/")) url = H.replace(/^http/, "ws") + url;
  const sends = [];
  let then = null;
  let until = null;
  let count = Infinity;
  let timeoutS = 10;
  for (let i = 1; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) fail(`${flag} needs a value`);
    if (flag === "--send") sends.push(value);
    else if (flag === "--then") then = value;
    else if (flag === "--until") until = value;
    else if (flag === "--count") count = Number(value);
    else if (flag === "--timeout") timeoutS = Number(value);
    else fail(`unknown flag ${flag}`);
  }
  const ws = new WebSocket(url);
  let got = 0;
  let started = false;
  const timer = setTimeout(() => fail(`timed out after ${timeoutS} s${until ? ` waiting for ${until}` : ""}`), timeoutS * 1000);
  const done = () => {
    clearTimeout(timer);
    ws.close(1000);
    process.exit(0);
  };
  ws.on("unexpected-response", (_req, res) => fail(`${url.replace(/token=[^&]+/, "token=...")}: HTTP ${res.statusCode}`));
  ws.on("error", (err) => fail(String(err.message ?? err)));
  ws.on("close", (code, reason) => fail(`socket closed (${code} ${reason}) before ${until ?? `${count} frames`}`));
  const start = async () => {
    if (started) return;
    started = true;
    for (const s of sends) {
      console.log(`> ${s}`);
      ws.send(s);
    }
    if (then) await run(then);
  };
  ws.on("open", () => setTimeout(start, 500));
  ws.on("message", async (data) => {
    const text = String(data);
    console.log(`< ${text}`);
    got++;
    let frame = null;
    try {
      frame = JSON.parse(text);
    } catch {
      // Not JSON (e.g. "pong"): printed, never the awaited frame.
    }
    // A batch (the SDK's opt-in) holds frames one by one; the listener doesn't ask for batches.
    const name = frame?.type ?? frame?.event;
    if ((until && name === until) || got >= count) return done();
    await start();
  });
}

function run(command) {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { stdio: ["ignore", "inherit", "inherit"], env: process.env });
    child.on("exit", (code) => {
      if (code !== 0) fail(`--then exited with ${code}`);
      resolve();
    });
  });
}
