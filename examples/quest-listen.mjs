// Bob's phone: opens the quest socket, sends the seed's join frame, prints every frame it gets.
import WebSocket from "ws";

const [url, sessionId] = process.argv.slice(2);
const ws = new WebSocket(url);
ws.on("open", () => ws.send(JSON.stringify({ type: "join", sessionId, playerName: "Bob" })));
ws.on("message", (data) => {
  const f = JSON.parse(String(data));
  const summary = f.type === "runtime_delta" ? { type: f.type, seq: f.seq, deltas: f.deltas.map((d) => d.type) } : f.type === "snapshot" ? { type: f.type, seq: f.seq, epoch: f.epoch } : f;
  console.log(JSON.stringify(summary));
});
