// A seed 001 page in a terminal: opens a campaign socket (player or DM URL), prints one line per
// frame, and optionally sends frames once open (e.g. '{"type":"player_status","status":"ready"}').
// Usage: node examples/campaign-listen.mjs <ws-url-with-token> <label> [frame-json ...]
import WebSocket from "ws";

const [url, label = "socket", ...frames] = process.argv.slice(2);
const ws = new WebSocket(url);
ws.on("open", () => {
  for (const f of frames) ws.send(f);
});
ws.on("message", (data) => {
  const f = JSON.parse(String(data));
  // The snapshot carries the whole state; a summary keeps the log readable.
  const shown = f.type === "snapshot" ? { type: f.type, seq: f.seq, epoch: f.epoch, active: f.state?.active } : f;
  console.log(`${label}: ${JSON.stringify(shown)}`);
});
ws.on("close", (code, reason) => console.log(`${label}: closed ${code} ${reason}`));
