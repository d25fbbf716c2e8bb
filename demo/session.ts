import { HearthSocket, type ConnectionState, type HearthSocketOptions } from "@hearth/client";
import type { HearthApi, Identity } from "./api";
import { byId } from "./dom";
import type { EventLog } from "./log";

/** What a system (quest, tabletop) gets from the page. */
export interface DemoContext {
  api: HearthApi;
  identity: Identity;
  log: EventLog;
  /** The Actions card's body and the State card's body; the system owns their contents. */
  actions: HTMLElement;
  state: HTMLElement;
  /** Shows (or, with null, hides) a message under the actions. */
  actionError(message: string | null): void;
}

export interface RunningSession {
  close(): void;
}

const BADGE_TEXT: Record<ConnectionState | "idle", string> = {
  idle: "not connected",
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  closed: "closed",
};

export function setBadge(state: ConnectionState | "idle"): void {
  const badge = byId("badge");
  badge.dataset.state = state;
  badge.textContent = BADGE_TEXT[state];
}

/**
 * A HearthSocket wired to the page: tokens from /dev/token, the badge, and a
 * log line for everything the SDK reports about the connection itself.
 * The system adds its own `frame` / `snapshot` listeners.
 */
export function connect<In extends object, Out extends object>(
  ctx: DemoContext,
  options: Omit<HearthSocketOptions<Out>, "getToken" | "token">,
): HearthSocket<In, Out> {
  const { log } = ctx;
  const socket = new HearthSocket<In, Out>({ ...options, getToken: () => ctx.api.playerToken() });
  let everLive = false;
  setBadge(socket.state);
  socket.on("state", (state) => {
    setBadge(state);
    if (state !== "live") return;
    if (everLive) log.count("reconnects");
    log.note("live", everLive ? "reconnected" : "connected", "good");
    everLive = true;
  });
  socket.on("close", (info) => {
    // A 4001 means the token was refused: mint a new one for the SDK's one retry.
    if (info.code === 4001) ctx.api.dropPlayerToken();
    const why = `${info.code}${info.reason ? ` ${info.reason}` : ""}`;
    if (info.final) log.note("closed", `closed for good (${why})`, info.code === 1000 ? "note" : "error");
    else log.note("lost", `connection lost (${why}); next attempt in ${info.retryInMs ?? 0} ms`, "warn");
  });
  socket.on("resumed", ({ replayed }) => {
    log.count("resumes");
    log.note("resumed", `resumed: ${replayed} missed frame${replayed === 1 ? "" : "s"} replayed`, "good");
  });
  socket.on("snapshot", (snapshot) => {
    if (snapshot.seq !== undefined) log.rebase(snapshot.seq);
    if (snapshot.recovered === false) {
      log.count("fallbacks");
      log.note("snapshot", `could not resume; fresh state at seq ${snapshot.seq ?? "?"}`, "warn");
    } else {
      log.note("snapshot", `state at seq ${snapshot.seq ?? "?"}`);
    }
  });
  socket.on("error", (error) => log.note("sdk", `${error.code}: ${error.message}`, "warn"));
  // For poking at it from devtools: `hearth.socket.reconnect()`, `hearth.socket.position`.
  (globalThis as { hearth?: unknown }).hearth = { socket, api: ctx.api };
  return socket;
}
