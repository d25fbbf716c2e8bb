// Follows one room over its WebSocket for as long as asked, across closes and server restarts:
// every reconnect resumes after the last frame it delivered (`?since=&epoch=`), and frames a
// replay repeats are dropped, so each logged frame is delivered once, in seq order.
import WebSocket from "ws";
import { CliError } from "./cliError.mjs";
import { closePolicy, retryDelayMs } from "./closePolicy.mjs";
import { parseFrame, unbatch } from "./formatFrame.mjs";
import { ResumeCursor } from "./resumeCursor.mjs";

/** A text `ping` this often keeps an idle-timed room (games: 40 s) from closing a listener. */
const PING_MS = 25_000;

/**
 * @param {{
 *   base: string,                       // http(s) server URL
 *   path: string,                       // the room's socket path (targets.mjs)
 *   tokens: { get(): Promise<string>, fresh: null | (() => Promise<string>) },
 *   onFrame(frame: unknown): void,      // each frame to print, once
 *   onStatus(line: string): void,       // connection news (stderr)
 * }} options
 * @returns {{ done: Promise<void>, stop(): void }} `done` rejects with a CliError when following must end.
 */
export function followRoom({ base, path, tokens, onFrame, onStatus }) {
  const cursor = new ResumeCursor();
  let socket = null;
  let stopped = false;
  let attempt = 0;
  let authRetried = false;
  let mintNext = false;
  let retryTimer = null;
  let settle;
  const done = new Promise((resolve, reject) => (settle = { resolve, reject }));

  const finish = (error) => {
    stopped = true;
    clearTimeout(retryTimer);
    if (error) settle.reject(error);
    else settle.resolve();
  };

  const retry = (why, slow = false) => {
    if (stopped) return;
    const delay = retryDelayMs(attempt++, slow);
    onStatus(`${why}; reconnecting in ${(delay / 1000).toFixed(2)} s${cursor.position ? ` (resuming after #${cursor.position.seq})` : ""}`);
    retryTimer = setTimeout(connect, delay);
  };

  async function connect() {
    if (stopped) return;
    let token;
    try {
      token = mintNext && tokens.fresh ? await tokens.fresh() : await tokens.get();
      mintNext = false;
    } catch (error) {
      // The server is down (a restart): minting waits for it like the socket does.
      if (error instanceof CliError && error.code === "UNREACHABLE") return retry(error.message);
      return finish(error);
    }
    const url = new URL(path, base.replace(/^http/, "ws"));
    for (const [key, value] of Object.entries(cursor.resumeParams())) url.searchParams.set(key, value);
    // `hearth` makes every route refuse with a close code (4001/4003/4004) rather than an HTTP
    // status; the token rides in a header, out of the URL.
    const ws = new WebSocket(url, ["hearth"], { headers: { authorization: `Bearer ${token}` } });
    socket = ws;
    let ping = null;
    let closed = false;
    const onClosed = (code, reason) => {
      if (closed) return;
      closed = true;
      clearInterval(ping);
      if (stopped) return;
      const action = closePolicy(code);
      const said = `socket closed ${code}${reason ? ` ${reason}` : ""}`;
      if (action === "final") return finish(new CliError(`CLOSED_${code}`, `${said}: not retrying`));
      if (action === "auth") {
        if (!tokens.fresh || authRetried) return finish(new CliError("TOKEN_REFUSED", `${said}: pass a valid --token (or HEARTH_TOKEN)`));
        authRetried = true;
        mintNext = true;
        return retry(`${said}: minting a fresh token`);
      }
      retry(said, action === "retry-slow");
    };
    ws.on("open", () => {
      onStatus(`connected to ${url.origin}${url.pathname}${url.search ? ` (${[...url.searchParams.keys()].join(", ")})` : ""}`);
      ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send("ping"), PING_MS);
    });
    ws.on("unexpected-response", (req, res) => {
      // No upgrade: an HTTP answer (a server still starting, a proxy). Refusals say so in JSON.
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        req.destroy();
        const text = Buffer.concat(chunks).toString("utf8").slice(0, 300);
        if ([401, 403, 404].includes(res.statusCode)) return finish(new CliError(`HTTP_${res.statusCode}`, `${url.pathname}: HTTP ${res.statusCode} ${text}`));
        onClosed(1006, `HTTP ${res.statusCode}`);
      });
    });
    ws.on("error", (error) => onClosed(1006, error.code ?? error.message));
    ws.on("close", (code, reason) => onClosed(code, String(reason)));
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const text = String(data);
      if (text === "pong") return; // the answer to our keep-alive
      attempt = 0;
      authRetried = false;
      for (const frame of unbatch(parseFrame(text))) {
        const verdict = cursor.admit(frame);
        if (verdict === "duplicate") continue;
        if (verdict === "recovered") {
          onStatus(`resumed: every frame up to #${cursor.position?.seq} delivered`);
          continue;
        }
        if (verdict === "reset") onStatus("the room's history was reset or too old to replay: a fresh snapshot follows");
        onFrame(frame);
      }
    });
  }

  connect();
  return {
    done,
    stop() {
      if (stopped) return;
      finish();
      socket?.close(1000);
    },
  };
}
