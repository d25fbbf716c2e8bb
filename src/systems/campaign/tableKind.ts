import { applied, reject, type Actor, type ApplyResult, type CommandKind, type ConnectInfo, type Emit, type KindCtx, type PresenceChange, type Rejection } from "../../core/kind.ts";
import { objectName } from "../../core/objectName.ts";
import { SCOPES } from "../../core/scopes.ts";
import { campaignOf, isDmUser, maySendDmFrames, ROLE, routeOf } from "./roles.ts";
import { DEFAULT_MAX_CONNECTIONS, MAX_FRAME_BYTES, type StructuredData } from "./schema.ts";
import { isoTimestamp, type OnlinePlayer } from "./state.ts";
import { tableCommand, tableConfig, type TableCommand } from "./tableSchema.ts";

export const TABLE_KIND = "campaign.table";

/**
 * The table's object for a DM key (`campaign.table:<key>`). The key is the DM's user id when it is
 * a room id (A-Z a-z 0-9 _ -, at most 64), else a digest of it (the edge computes it: tableKey.ts).
 */
export const tableObjectName = (dmKey: string) => objectName(TABLE_KIND, dmKey);

/** One of the DM's campaigns as the table keeps it. */
export interface TableCampaign {
  /** Who may follow it besides the DM; null lets any signed-in user in. */
  invited: string[] | null;
  created_at: string;
  /** The latest data; kept after deactivation so a later load or switch may reuse it. */
  structured_data: StructuredData | null;
  changed_at: string | null;
}

export interface TableState {
  dm_user_id: string;
  campaigns: Record<string, TableCampaign>;
  /** The one active campaign of this DM, or null. */
  active: string | null;
  /** What a snapshot shows: the active campaign, else the one last active, else the newest. */
  current: string | null;
  players_online: OnlinePlayer[];
  dm_online: boolean;
}

const own = <T>(rec: Record<string, T>, key: string): T | undefined => (Object.hasOwn(rec, key) ? rec[key] : undefined);

export const TableErrors = {
  dmOnly: () => reject("DM_ONLY", "Only the campaign's DM may load, update or deactivate it.", 403),
  notDm: () => reject("NOT_CAMPAIGN_DM", "Only the campaign's DM or a service may do this.", 403),
  inactive: () => reject("CAMPAIGN_INACTIVE", "The campaign is not active; load it first.", 409),
  playersOnly: () => reject("PLAYERS_ONLY", "Only a player socket sends player_status.", 403),
  tooLarge: () => reject("STRUCTURED_DATA_TOO_LARGE", `structured_data may be at most ${MAX_FRAME_BYTES} bytes once merged.`, 413),
  unknown: (id: string) => reject("CAMPAIGN_NOT_FOUND", `Campaign ${id} is not one of this DM's campaigns.`, 404),
  noTarget: () => reject("NO_ACTIVE_CAMPAIGN", "No campaign is named and none is active.", 409),
} as const;

const byteLength = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

/** May this user follow this campaign (hear its frames, read it)? */
const follows = (state: TableState, c: TableCampaign, actor: Actor) =>
  isDmUser(state.dm_user_id, actor) || actor.service || c.invited === null || c.invited.includes(actor.userId);

/** Who hears a campaign's frames: everyone at the table, or its invited players and the DM. */
const audience = (state: TableState, c: TableCampaign): Pick<Emit, "to"> => (c.invited === null ? {} : { to: [...c.invited, state.dm_user_id] });

function register(state: TableState, r: { campaign_id: string; players?: readonly string[] | undefined; created_at: string }): TableState {
  if (own(state.campaigns, r.campaign_id)) return state;
  const entry: TableCampaign = { invited: r.players ? [...new Set(r.players)] : null, created_at: r.created_at, structured_data: null, changed_at: null };
  return { ...state, campaigns: { ...state.campaigns, [r.campaign_id]: entry }, current: state.active ?? r.campaign_id };
}

export function initTable(raw: Readonly<Record<string, unknown>>): TableState {
  const parsed = tableConfig.safeParse(raw);
  const config = parsed.success ? parsed.data : { dm_user_id: "", campaigns: [] };
  const empty: TableState = { dm_user_id: config.dm_user_id, campaigns: {}, active: null, current: null, players_online: [], dm_online: false };
  return (config.campaigns ?? []).reduce(register, empty);
}

/** What an HTTP caller gets back; the route adds seq and epoch. */
const resultOf = (id: string, c: TableCampaign, active: boolean, deactivated: string[]) => ({ campaign_id: id, active, structured_data: c.structured_data, deactivated });

/**
 * Activates `id` with `data`: the active campaign (if another) is deactivated
 * in the same commit, its followers hearing `campaign_deactivated` first, then
 * `campaign_loaded` for this one. One commit, one object: concurrent switches
 * are serialized here, so exactly one campaign is active after any of them.
 */
function activate(state: TableState, id: string, c: TableCampaign, data: StructuredData, timestamp: string): ApplyResult<TableState> {
  if (byteLength(data) > MAX_FRAME_BYTES) return TableErrors.tooLarge();
  const emits: Emit[] = [];
  const deactivated: string[] = [];
  let campaigns = state.campaigns;
  const old = state.active !== null && state.active !== id ? own(campaigns, state.active) : undefined;
  if (old && state.active !== null) {
    emits.push({ body: { type: "campaign_deactivated", timestamp, campaign_id: state.active }, ...audience(state, old) });
    campaigns = { ...campaigns, [state.active]: { ...old, changed_at: timestamp } };
    deactivated.push(state.active);
  }
  const next: TableCampaign = { ...c, structured_data: data, changed_at: timestamp };
  emits.push({ body: { type: "campaign_loaded", timestamp, campaign_id: id, structured_data: data }, ...audience(state, c) });
  const after: TableState = { ...state, campaigns: { ...campaigns, [id]: next }, active: id, current: id };
  return applied(after, emits, { result: resultOf(id, next, true, deactivated) });
}

/**
 * A DM's table (seed 001's campaign switching): one object per DM holding
 * every socket of the DM's campaigns (DM and players) and the one pointer to
 * the active campaign. A player socket follows the DM: when the DM switches, it
 * hears `campaign_deactivated` for the old campaign and `campaign_loaded` for
 * the new one on the same socket, then the new one's updates. All of a DM's
 * campaign commands (HTTP, DM socket, switch) run here, one at a time.
 */
export function applyTable(state: TableState, command: TableCommand, ctx: KindCtx): ApplyResult<TableState> {
  const timestamp = isoTimestamp(ctx.now);
  const { actor } = ctx;
  switch (command.type) {
    case "heartbeat":
      return applied(state, [], { replies: [{ type: "heartbeat", timestamp }] });
    case "player_status": {
      if (routeOf(actor) !== ROLE.player) return TableErrors.playersOnly();
      const body = { type: "player_status", user_id: actor.userId, username: actor.name, status: command.status, timestamp };
      // Ephemeral: "typing" is news now, not history a reconnecting DM should replay.
      return applied(state, [{ body, to: [state.dm_user_id], log: false }]);
    }
    case "register":
      return applied(register(state, command), [], { result: { campaign_id: command.campaign_id, registered: true } });
    default:
      break;
  }
  if (!maySendDmFrames(state.dm_user_id, actor)) return routeOf(actor) === ROLE.player ? TableErrors.dmOnly() : TableErrors.notDm();
  const id = command.campaign_id ?? campaignOf(actor) ?? state.active;
  if (id === null) return TableErrors.noTarget();
  const c = own(state.campaigns, id);
  if (!c) return TableErrors.unknown(id);
  switch (command.type) {
    case "campaign_loaded":
      return activate(state, id, c, command.structured_data, timestamp);
    case "switch": {
      const out = activate(state, id, c, command.structured_data ?? c.structured_data ?? {}, timestamp);
      return out.ok ? { ...out, result: { dm_user_id: state.dm_user_id, ...(out.result as object) } } : out;
    }
    case "campaign_updated": {
      if (state.active !== id) return TableErrors.inactive();
      // An update names what changed; the broadcast carries the whole, so a seed client
      // (which replaces its data with what it receives) never blanks a field it was not sent.
      const data = { ...c.structured_data, ...command.structured_data };
      if (byteLength(data) > MAX_FRAME_BYTES) return TableErrors.tooLarge();
      const next: TableCampaign = { ...c, structured_data: data, changed_at: timestamp };
      const body = { type: "campaign_updated", timestamp, campaign_id: id, structured_data: data };
      return applied({ ...state, campaigns: { ...state.campaigns, [id]: next } }, [{ body, ...audience(state, c) }], { result: resultOf(id, next, true, []) });
    }
    case "campaign_deactivated": {
      if (state.active !== id) return TableErrors.inactive();
      const next: TableCampaign = { ...c, changed_at: timestamp };
      const body = { type: "campaign_deactivated", timestamp, campaign_id: id };
      return applied({ ...state, campaigns: { ...state.campaigns, [id]: next }, active: null }, [{ body, ...audience(state, c) }], { result: resultOf(id, next, false, [id]) });
    }
  }
}

/**
 * Who may sit at the table. The DM socket is the DM's alone. A socket that came
 * through a campaign (`?campaign=`) must be allowed in that campaign; one that
 * came by DM (`?dm=`) in at least one of the DM's campaigns.
 */
export function admitTable(state: TableState, info: ConnectInfo): Rejection | null {
  const { actor } = info;
  if (isDmUser(state.dm_user_id, actor)) return null;
  if (routeOf(actor) === ROLE.dm) return reject("NOT_CAMPAIGN_DM", "Only the campaign's DM may open the DM socket", 403);
  if (actor.service) return null;
  const via = campaignOf(actor);
  if (via !== null) {
    const c = own(state.campaigns, via);
    if (!c) return TableErrors.unknown(via);
    return follows(state, c, actor) ? null : reject("NOT_INVITED", "You are not a player in this campaign", 403);
  }
  return Object.values(state.campaigns).some((c) => follows(state, c, actor)) ? null : reject("NOT_INVITED", "You are not a player in any of this DM's campaigns", 403);
}

export interface TableView {
  campaign_id: string | null;
  dm_user_id: string;
  active: boolean;
  /** The DM's active campaign (null: none), whichever campaign this view shows. */
  active_campaign_id: string | null;
  structured_data: StructuredData | null;
  changed_at: string | null;
  created_at: string | null;
  online: { dm: boolean; players: OnlinePlayer[] };
  /** The invite list: the DM's and services' business only. */
  players?: string[] | null;
}

/**
 * What a snapshot frame and `GET /api/campaigns/:id` show. An HTTP reader of
 * one campaign (`api:<id>`) sees that campaign; a socket sees the DM's current
 * one (the active campaign, else the one last active), which it follows.
 */
export function viewTable(state: TableState, viewer: Actor): TableView {
  const asked = routeOf(viewer) === ROLE.api ? campaignOf(viewer) : null;
  const id = asked ?? state.current;
  const c = id === null ? undefined : own(state.campaigns, id);
  const visible = c !== undefined && follows(state, c, viewer);
  return {
    campaign_id: c ? id : null,
    dm_user_id: state.dm_user_id,
    active: c !== undefined && state.active === id,
    active_campaign_id: state.active,
    structured_data: visible ? c.structured_data : null,
    changed_at: c?.changed_at ?? null,
    created_at: c?.created_at ?? null,
    online: { dm: state.dm_online, players: state.players_online },
    ...(c && (viewer.service || isDmUser(state.dm_user_id, viewer)) ? { players: c.invited } : {}),
  };
}

/** Right after Hearth's catch-up, while a campaign this socket may follow is active: the seed's `campaign_active`. */
export function welcomeTable(state: TableState, info: ConnectInfo, _recent: readonly Record<string, unknown>[], ctx: KindCtx): Record<string, unknown>[] {
  const c = state.active === null ? undefined : own(state.campaigns, state.active);
  if (!c || !follows(state, c, info.actor)) return [];
  return [{ type: "campaign_active", campaign_id: state.active, structured_data: c.structured_data, timestamp: isoTimestamp(ctx.now) }];
}

/** Players' first socket open / last close -> `player_joined` / `player_left` to the DM only (logged); the DM is only recorded. */
export function presenceTable(state: TableState, change: PresenceChange, ctx: KindCtx): ApplyResult<TableState> {
  const { actor } = change;
  const timestamp = isoTimestamp(ctx.now);
  if (isDmUser(state.dm_user_id, actor)) {
    const dm_online = change.kind === "join";
    return dm_online === state.dm_online ? applied(state) : applied({ ...state, dm_online });
  }
  const here = state.players_online.some((p) => p.user_id === actor.userId);
  const frame = (type: string) => ({ body: { type, user_id: actor.userId, username: actor.name, timestamp }, to: [state.dm_user_id] });
  if (change.kind === "join") {
    if (here) return applied(state);
    const player = { user_id: actor.userId, username: actor.name, connected_at: timestamp };
    return applied({ ...state, players_online: [...state.players_online, player] }, [frame("player_joined")]);
  }
  if (!here) return applied(state);
  return applied({ ...state, players_online: state.players_online.filter((p) => p.user_id !== actor.userId) }, [frame("player_left")]);
}

export const tableKind: CommandKind<TableState, TableCommand> = {
  name: TABLE_KIND,
  command: tableCommand,
  config: tableConfig,
  init: (config) => initTable(config),
  apply: applyTable,
  view: viewTable,
  sockets: { presence: presenceTable, admit: admitTable, welcome: welcomeTable },
  authorize: { register: { anyOf: [SCOPES.admin], message: "Only Hearth registers a campaign with its DM's table." } },
  limits: { maxFrameBytes: MAX_FRAME_BYTES, maxConnections: DEFAULT_MAX_CONNECTIONS },
};
