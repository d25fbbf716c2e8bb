#!/usr/bin/env node
// How long a client's `close` event takes for a socket held by a room's own object and for one
// held by a gateway ([S2]), through `wrangler dev`, for the `ws` package and Node's WebSocket:
// the client closes (1000) and waits for the server's echo. Against a running server:
//   node bench/gatewayCloses.mjs --url http://127.0.0.1:8787 [--n 5]
// (npm start gives one; the token comes from its POST /dev/token).
import { parseArgs } from "node:util";
import WebSocket from "ws";
import os from "node:os";

const { values } = parseArgs({ options: { url: { type: "string", default: "http://127.0.0.1:8787" }, n: { type: "string", default: "5" } } });
const base = values.url;
const n = Number(values.n);
const token = async (claims) => (await (await fetch(`${base}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(claims) })).json()).token;
const admin = await token({ sub: "bench", name: "bench", scope: "rooms:admin events:publish" });
const roomId = `gwc${Date.now().toString(36)}`;
const made = await fetch(`${base}/api/rooms`, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify({ roomId, config: { socketsPerObject: 2, presence: false } }) });
if (made.status !== 201) throw new Error(`create ${made.status}`);

const clients = {
  ws: (url) => new WebSocket(url),
  node: (url) => new globalThis.WebSocket(url),
};
const opened = (ws) => new Promise((res, rej) => { ws.addEventListener("message", () => res(), { once: true }); ws.addEventListener("error", rej, { once: true }); });
const closed = (ws) => new Promise((res) => ws.addEventListener("close", () => res(), { once: true }));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`gatewayCloses: n=${n}, ${new Date().toISOString()}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
console.log("| client | socket held by | close event ms (median / max) |\n| --- | --- | --- |");
for (const [name, make] of Object.entries(clients)) {
  const times = { room: [], gateway: [] };
  for (let i = 0; i < n; i++) {
    // Two sockets fill the room's own share; the next two sit on gateway 0.
    const sockets = [];
    for (let k = 0; k < 4; k++) {
      const ws = make(`${base.replace("http", "ws")}/ws/rooms/${roomId}?token=${await token({ sub: `${name}${i}-${k}`, name: "u" })}`);
      await opened(ws);
      sockets.push(ws);
    }
    for (const [k, ws] of sockets.entries()) {
      const t = performance.now();
      const done = closed(ws);
      ws.close(1000);
      await done;
      times[k < 2 ? "room" : "gateway"].push(performance.now() - t);
    }
  }
  for (const where of ["room", "gateway"]) console.log(`| ${name} | ${where} | ${median(times[where]).toFixed(0)} / ${Math.max(...times[where]).toFixed(0)} |`);
}
process.exit(0);
