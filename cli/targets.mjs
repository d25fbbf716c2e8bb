// What `hearth tail` and `hearth post` accept as a target, and where each is reached. A target
// is an object name as `hearth rooms` lists it (a relay room by its id, any other room as
// `<kind>:<id>`, docs/protocol.md "Identity"), or a path of the server's own (`/ws/...`, `/api/...`).
import { CliError } from "./cliError.mjs";

const enc = encodeURIComponent;

/** How each kind's room is followed over a socket (its system's own route). */
const SOCKETS = {
  relay: (id) => `/ws/rooms/${enc(id)}`,
  tabletop: (id) => `/ws/game/${enc(id)}`,
  // A player's view of the DM's table (a service may follow it; the DM socket admits only the DM,
  // whose own token can follow it as the path /ws/campaign/dm?campaign=<id>).
  campaign: (id) => `/ws/campaign/player?campaign=${enc(id)}`,
  "campaign.table": (dm) => `/ws/campaign/player?dm=${enc(dm)}`,
  quest: (code) => `/ws/quest?teamCode=${enc(code)}`,
  feed: (feed) => `/ws/feed?feed=${enc(feed)}`,
  "games:lobby": (shard) => `/ws/games?lobby=${enc(shard)}`,
};

/** Where each kind takes an event over HTTP (the systems that have such a route). */
const EVENTS = {
  relay: (id) => `/api/rooms/${enc(id)}/events`,
  quest: (code) => `/api/runtime/session/${enc(code)}/events`,
  feed: (feed) => `/api/feed/events?feed=${enc(feed)}`,
  campaign: (id) => `/api/campaigns/${enc(id)}/update`,
};

/** Why a kind has no socket of its own to follow. */
const NO_SOCKET = {
  game: "a game room is followed through its lobby: hearth tail games",
  "feed-shard": "a feed shard is followed through its feed: hearth tail feed:<name>",
};

/** A bare system name means its default room. */
const DEFAULTS = { feed: "feed:default", games: "games:lobby:main" };

/**
 * Splits a target into its kind and id. `demo-1` is relay room demo-1; `tabletop:42` is kind
 * `tabletop`, id `42`; a kind may itself hold a colon (`games:lobby:main`, `feed:x:shard:0`).
 * @returns {{ path: string } | { kind: string, id: string }}
 */
export function parseTarget(text) {
  if (typeof text !== "string" || text.trim() === "") throw new CliError("BAD_TARGET", "Name a room: an id (relay), <kind>:<id> as `hearth rooms` lists it, or a /ws/ or /api/ path.");
  if (text.startsWith("/")) return { path: text };
  const name = DEFAULTS[text] ?? text;
  if (name.startsWith("games:lobby:")) return { kind: "games:lobby", id: name.slice("games:lobby:".length) };
  const shard = /^feed:(.+):shard:\d+$/.exec(name);
  if (shard) return { kind: "feed-shard", id: name.slice("feed:".length) };
  const colon = name.indexOf(":");
  if (colon < 0) return { kind: "relay", id: name };
  return { kind: name.slice(0, colon), id: name.slice(colon + 1) };
}

/** The socket path (with its query) that follows `target`. */
export function socketPath(text) {
  const target = parseTarget(text);
  if ("path" in target) return target.path;
  const route = SOCKETS[target.kind];
  if (route) return route(target.id);
  throw new CliError("NOT_FOLLOWABLE", NO_SOCKET[target.kind] ?? `No socket route for rooms of kind "${target.kind}" (known: ${Object.keys(SOCKETS).join(", ")}); pass a /ws/ path instead.`);
}

/** The HTTP path that takes an event for `target`. */
export function eventsPath(text) {
  const target = parseTarget(text);
  if ("path" in target) return target.path;
  const route = EVENTS[target.kind];
  if (route) return route(target.id);
  throw new CliError(
    "NO_HTTP_EVENTS",
    `Rooms of kind "${target.kind}" take no events over HTTP (those that do: ${Object.keys(EVENTS).join(", ")}); send it over the socket (hearth ws ... --send) or pass an /api/ path.`,
  );
}
