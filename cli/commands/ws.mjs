// `hearth ws <url>`: one WebSocket, as the README's blocks use it: prints every frame it gets
// (`< ...`) and sends (`> ...`). Once the socket is in the room (its first frame, or 500 ms after
// the open for a protocol that greets nobody) it sends the --send frames in order, then runs
// --then, so an event posted over HTTP is never posted before the listener is there. No
// reconnect (that is `hearth tail`): it exits 0 on --until/--count, 1 on timeout or a close.
import WebSocket from "ws";
import { CliError } from "../cliError.mjs";
import { parseFrame } from "../formatFrame.mjs";
import { runThen } from "../runThen.mjs";
import { serverUrl } from "../settings.mjs";
import { frameName, positiveNumber } from "../stopRule.mjs";

export function wsCommand(program) {
  program
    .command("ws")
    .description("open one WebSocket, print what it gets and sends, exit on --until/--count (for scripts and the README)")
    .argument("<url>", "ws:// URL, or a path on the server (/ws/rooms/demo-1?token=...)")
    .option("--send <json>", "a frame to send once in the room (repeatable, sent in order)", (value, all) => [...all, value], [])
    .option("--then <command>", "a shell command run after the --send frames")
    .option("--until <name>", "exit 0 once a frame of this type/event arrived")
    .option("--count <n>", "exit 0 once this many frames arrived", positiveNumber)
    .option("--timeout <seconds>", "exit 1 after this long", positiveNumber, 10)
    .action(async (url, _options, command) => listen(url, command.optsWithGlobals()));
}

/** The socket URL: absolute as given, or a path on the server. */
export function wsUrl(url, base) {
  return url.startsWith("/") ? base.replace(/^http/, "ws") + url : url;
}

function listen(rawUrl, options) {
  const url = wsUrl(rawUrl, serverUrl(options));
  const count = options.count ?? Infinity;
  const shown = url.replace(/token=[^&]+/, "token=...");
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let got = 0;
    let started = null;
    const end = (error) => {
      clearTimeout(timer);
      ws.removeAllListeners("close");
      ws.on("error", () => {});
      ws.close(1000);
      // What --then started (a curl whose answer is still on its way) is let finish.
      Promise.resolve(started).then(() => (error ? reject(error) : resolve()), reject);
    };
    const timer = setTimeout(() => end(new CliError("TIMEOUT", `timed out after ${options.timeout} s${options.until ? ` waiting for ${options.until}` : ""}`)), options.timeout * 1000);
    const start = () => {
      started ??= (async () => {
        for (const frame of options.send) {
          console.log(`> ${frame}`);
          ws.send(frame);
        }
        if (options.then) await runThen(options.then);
      })().catch((error) => end(error));
      return started;
    };
    ws.on("unexpected-response", (_req, res) => end(new CliError(`HTTP_${res.statusCode}`, `${shown}: HTTP ${res.statusCode}`)));
    ws.on("error", (error) => end(new CliError("SOCKET_ERROR", String(error.message ?? error))));
    ws.on("close", (code, reason) => end(new CliError(`CLOSED_${code}`, `socket closed (${code} ${reason}) before ${options.until ?? `${count} frames`}`)));
    ws.on("open", () => setTimeout(start, 500));
    ws.on("message", (data) => {
      const text = String(data);
      console.log(`< ${text}`);
      got++;
      const name = frameName(parseFrame(text));
      if ((options.until && name === options.until) || got >= count) return end();
      start();
    });
  });
}
