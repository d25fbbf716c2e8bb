/**
 * The room inspector (public/inspector.html): every room of every system,
 * one room's live state, sockets and figures (charted as they move), its raw
 * log with the input behind each entry, time travel (the state at any seq,
 * replayed by the server from the room's journal) and a diff between two
 * seqs. Reads only the admin API (rooms:admin); in local dev it mints its
 * operator token from /dev/token like the demo does.
 */
import { ApiError, HearthApi, loadIdentity } from "../api";
import { byId, h } from "../dom";
import { FigureCharts } from "./charts";
import { renderDiff, stateDiff } from "./diff";
import { LogTable } from "./logTable";
import { TimeTravel } from "./travel";
import type { AdminGet, AdminRoom, Listed } from "./types";

const api = new HearthApi(loadIdentity());
const admin: AdminGet = <T>(path: string) => api.request<T>("GET", path, undefined, { asSetup: true });
const enc = encodeURIComponent;
const json = (v: unknown) => JSON.stringify(v, null, 2);
const time = (ms: number) => new Date(ms).toLocaleTimeString();
/** The live view refreshes this often; figures are sampled at the same beat. */
const REFRESH_MS = 2_000;

let selected: string | null = null;
let roomsNext: number | null = null;
let timer: ReturnType<typeof setInterval> | undefined;

function showError(id: string, err: unknown): void {
  const el = byId(id);
  el.hidden = err === null;
  el.textContent = err === null ? "" : err instanceof ApiError ? `${err.code}: ${err.message}` : String(err);
}

const travel = new TimeTravel(admin);
const log = new LogTable(admin, (seq) => void goTo(seq), (err) => showError("room-error", err));
const charts = new FigureCharts(byId("charts"));

// ---- the room list -----------------------------------------------------------

async function loadRooms(more = false): Promise<void> {
  const kind = byId<HTMLSelectElement>("kind-filter").value;
  const q = new URLSearchParams({ limit: "50", ...(kind ? { kind } : {}), ...(more && roomsNext !== null ? { before: String(roomsNext) } : {}) });
  try {
    const page = await admin<{ rooms: Listed[]; next: number | null }>(`/api/rooms?${q}`);
    showError("rooms-error", null);
    const list = byId("rooms");
    if (!more) list.replaceChildren();
    for (const r of page.rooms) {
      list.append(
        h("li", { "data-name": r.name, "data-kind": r.kind, "aria-selected": String(r.name === selected), onclick: () => void select(r.name) }, r.name, h("small", {}, `${r.kind} · ${new Date(r.createdAt).toLocaleString()}`)),
      );
    }
    roomsNext = page.next;
    byId("rooms-more").hidden = page.next === null;
  } catch (err) {
    showError("rooms-error", err);
  }
}

// ---- one room ------------------------------------------------------------------

async function select(name: string): Promise<void> {
  selected = name;
  for (const li of byId("rooms").querySelectorAll("li")) li.setAttribute("aria-selected", String(li.dataset.name === name));
  byId("room").hidden = false;
  byId("room-title").textContent = name;
  byId("diff-out").replaceChildren();
  byId("diff-summary").textContent = "";
  delete byId("diff-b").dataset.touched;
  showError("diff-error", null);
  travel.open(name);
  charts.reset();
  const head = await refresh();
  if (head !== null) byId<HTMLInputElement>("diff-a").value = String(Math.max(0, head - 1));
  await log.load(name);
}

/** Reloads the live view; returns the head (null on failure). */
async function refresh(): Promise<number | null> {
  if (!selected) return null;
  const name = selected;
  try {
    const room = await admin<AdminRoom>(`/api/admin/rooms/${enc(name)}`);
    if (name !== selected) return null;
    showError("room-error", null);
    renderRoom(room);
    travel.refreshed(room);
    charts.add(room.metrics);
    const diffB = byId<HTMLInputElement>("diff-b");
    if (!diffB.dataset.touched && document.activeElement !== diffB) diffB.value = String(room.seq);
    await log.grew(room.seq);
    return room.seq;
  } catch (err) {
    showError("room-error", err);
    return null;
  }
}

function renderRoom(room: AdminRoom): void {
  byId("room-facts").replaceChildren(
    ...facts({ kind: room.kind, "room id": room.roomId, seq: room.seq, epoch: room.epoch, created: new Date(room.createdAt).toLocaleString(), sockets: room.connections?.total ?? "?", route: room.href ?? "(none)" }),
  );
  byId("room-state").textContent = json(room.state);
  byId("room-state").dataset.seq = String(room.seq);
  byId("refreshed").textContent = `updated ${time(Date.now())}`;
  byId("connections").replaceChildren(
    ...(room.connections?.list ?? []).map((c) => h("tr", { "data-user": c.userId }, h("td", {}, `${c.name} (${c.userId})`), h("td", {}, c.role), h("td", {}, time(c.connectedAt)), h("td", {}, h("code", {}, c.connId.slice(0, 8))))),
  );
  const m = room.metrics;
  byId("metrics").replaceChildren(
    ...(m
      ? facts({
          "frames in / out / http": `${m.messages.in} / ${m.messages.out} / ${m.messages.http}`,
          "bytes in / out": `${m.bytes.in} / ${m.bytes.out}`,
          errors: `${m.errors?.total ?? 0} ${json(m.errors?.byCode ?? {}).replace(/\s+/g, " ")}`,
          broadcasts: `${m.broadcasts.count}, mean ${Math.round(m.broadcasts.latencyMs.mean * 10) / 10} ms, p95 ≤ ${m.broadcasts.latencyMs.p95 ?? "-"} ms`,
        })
      : [h("dd", {}, "none")]),
  );
}

function facts(pairs: Record<string, string | number>): HTMLElement[] {
  return Object.entries(pairs).flatMap(([k, v]) => [h("dt", {}, k), h("dd", { "data-fact": k }, String(v))]);
}

// ---- travel and diff -----------------------------------------------------------

async function goTo(seq: number): Promise<void> {
  const diffA = byId<HTMLInputElement>("diff-a");
  if (document.activeElement !== diffA) diffA.value = String(seq);
  await travel.go(seq);
}

async function diff(): Promise<void> {
  if (!selected) return;
  const [a, b] = [Number(byId<HTMLInputElement>("diff-a").value), Number(byId<HTMLInputElement>("diff-b").value)];
  const out = byId("diff-out");
  try {
    const [sa, sb] = await Promise.all([travel.stateAt(a), travel.stateAt(b)]);
    const changes = stateDiff(sa.state, sb.state);
    showError("diff-error", null);
    const count = (t: string) => changes.filter((c) => c.type === t).length;
    byId("diff-summary").textContent = `seq ${a} → seq ${b}: ${count("added")} added, ${count("removed")} removed, ${count("changed")} changed`;
    out.dataset.a = String(a);
    out.dataset.b = String(b);
    out.replaceChildren(renderDiff(changes));
  } catch (err) {
    out.replaceChildren();
    byId("diff-summary").textContent = "";
    showError("diff-error", err);
  }
}

// ---- wiring --------------------------------------------------------------------

byId("rooms-refresh").addEventListener("click", () => void loadRooms());
byId("rooms-more").addEventListener("click", () => void loadRooms(true));
byId("kind-filter").addEventListener("change", () => void loadRooms());
byId("log-more").addEventListener("click", () => void log.older());
byId("travel-go").addEventListener("click", () => void goTo(Number(byId<HTMLInputElement>("travel-at").value)));
byId("travel-range").addEventListener("input", (e) => (byId<HTMLInputElement>("travel-at").value = (e.target as HTMLInputElement).value));
byId("travel-range").addEventListener("change", (e) => void goTo(Number((e.target as HTMLInputElement).value)));
byId("travel-at").addEventListener("keydown", (e) => {
  if (e.key === "Enter") void goTo(Number(byId<HTMLInputElement>("travel-at").value));
});
byId("live").addEventListener("change", () => {
  travel.setFollow(byId<HTMLInputElement>("live").checked);
  void refresh();
});
byId("diff-go").addEventListener("click", () => void diff());
byId("diff-b").addEventListener("input", (e) => ((e.target as HTMLElement).dataset.touched = "1"));
const autoRefresh = () => {
  clearInterval(timer);
  // One refresh at a time: a slow answer is not queued behind by the next tick.
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    void refresh().finally(() => (busy = false));
  };
  if (byId<HTMLInputElement>("auto-refresh").checked) timer = setInterval(tick, REFRESH_MS);
};
byId("auto-refresh").addEventListener("change", autoRefresh);
autoRefresh();

const wanted = new URLSearchParams(location.search).get("room");
void loadRooms().then(() => (wanted ? select(wanted) : undefined));
