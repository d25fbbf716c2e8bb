// The ceiling: a plain Node `ws` server that does the least a room server can do. No persistence;
// an in-memory log per room answers `?since=<seq>` so the reconnect scenario has something to
// compare with, and an in-memory key map makes publisher retries safe like the other targets.
//
//   POST /rooms/:room/events   body = event JSON -> 200 {"seq"}; broadcast {"seq","data":<body>}
//   WS   /rooms/:room[?since=<seq>]                  replay after seq, then {"type":"recovered"}
//
// Prints "listening <port>" once ready (run with --port 0 for a free port).
import http from "node:http";
import { WebSocketServer } from "ws";

const portArg = process.argv.indexOf("--port");
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;

/** @type {Map<string, {sockets: Set<import("ws").WebSocket>, log: Buffer[], keys: Map<string, number>}>} */
const rooms = new Map();
function room(name) {
  let r = rooms.get(name);
  if (!r) {
    r = { sockets: new Set(), log: [], keys: new Map() };
    rooms.set(name, r);
  }
  return r;
}

const server = http.createServer((req, res) => {
  const match = /^\/rooms\/([^/?]+)\/events$/.exec(req.url ?? "");
  if (req.method !== "POST" || !match) {
    res.writeHead(req.url === "/health" ? 200 : 404).end();
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const r = room(match[1]);
    const key = req.headers["idempotency-key"];
    if (typeof key === "string" && r.keys.has(key)) {
      res.writeHead(200, { "content-type": "application/json" }).end(`{"seq":${r.keys.get(key)},"duplicate":true}`);
      return;
    }
    const seq = r.log.length + 1;
    // Encode once, send the same buffer to every socket.
    const frame = Buffer.from(`{"seq":${seq},"data":${Buffer.concat(chunks).toString()}}`);
    r.log.push(frame);
    if (typeof key === "string") r.keys.set(key, seq);
    for (const ws of r.sockets) ws.send(frame, { binary: false });
    res.writeHead(200, { "content-type": "application/json" }).end(`{"seq":${seq}}`);
  });
});

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
server.on("upgrade", (req, socket, head) => {
  const url = new URL(req.url ?? "/", "http://x");
  const match = /^\/rooms\/([^/]+)$/.exec(url.pathname);
  if (!match) {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    const r = room(match[1]);
    const since = url.searchParams.get("since");
    if (since !== null) {
      for (let i = Number(since); i < r.log.length; i++) ws.send(r.log[i], { binary: false });
      ws.send('{"type":"recovered","recovered":true}');
    }
    r.sockets.add(ws);
    ws.on("message", (m) => {
      if (m.toString() === "ping") ws.send("pong");
    });
    ws.on("close", () => r.sockets.delete(ws));
    ws.on("error", () => r.sockets.delete(ws));
  });
});

server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
// Never outlive the bench run that started us (even one killed with SIGKILL).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000).unref();
