/**
 * The room inspector (public/inspector.html): every room of every system,
 * one room's live state, sockets and figures, its raw log with the inputs
 * behind it, and time travel (the state at any seq, replayed by the server
 * from the room's journal). Reads only the admin API (rooms:admin); in local
 * dev it mints its operator token from /dev/token like the demo does.
 */
import { ApiError, HearthApi, loadIdentity } from "../api";
import { byId, h } from "../dom";

interface Listed { name: string; kind: string; roomId: string; createdAt: number; href: string | null }
interface Connection { connId: string; userId: string; name: string; role: string; connectedAt: number }
interface AdminRoom {
  name: string; kind: string; roomId: string; seq: number; epoch: string; createdAt: number; state: unknown; href: string | null;
  connections: { total: number; list: Connection[] } | null;
  metrics: Record<string, unknown> & { messages?: { in: number; out: number; http: number }; bytes?: { in: number; out: number }; errors?: { total: number; byCode: Record<string, number> }; broadcasts?: { count: number; latencyMs: { mean: number; p95: number | null } } } | null;
}
interface LogPage {
  head: number; tail: number; next: number | null;
  entries: { seq: number; at: number; frame: unknown; to: string[] | null; groups?: string[] }[];
  inputs: { seq: number; at: number; source: string; actor: { userId: string }; body: unknown }[];
}
interface Travel { at: number; head: number; state: unknown; online: string[]; inputs: number }

const api = new HearthApi(loadIdentity());
const admin = <T>(path: string) => api.request<T>("GET", path, undefined, { asSetup: true });
const enc = encodeURIComponent;
const json = (v: unknown) => JSON.stringify(v, null, 2);
const time = (ms: number) => new Date(ms).toLocaleTimeString();

let selected: string | null = null;
let roomsNext: number | null = null;
let logNext: number | null = null;
let timer: ReturnType<typeof setInterval> | undefined;

function showError(id: string, err: unknown): void {
  const el = byId(id);
  el.hidden = err === null;
  el.textContent = err === null ? "" : err instanceof ApiError ? `${err.code}: ${err.message}` : String(err);
}

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
  byId("travel-state").textContent = "";
  byId("travel-meta").textContent = "";
  showError("travel-error", null);
  const head = await refresh();
  if (head !== null && document.activeElement !== byId("travel-at")) setTravel(head);
  await loadLog(false);
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
    return room.seq;
  } catch (err) {
    showError("room-error", err);
    return null;
  }
}

function renderRoom(room: AdminRoom): void {
  const range = byId<HTMLInputElement>("travel-range");
  const atHead = range.value === range.max;
  const at = byId<HTMLInputElement>("travel-at");
  range.max = String(room.seq);
  at.max = String(room.seq);
  // Follow the head only while the operator isn't typing a seq: writing the field under their
  // keystrokes turned "66" into "6666" (seen in e2e).
  if (atHead && document.activeElement !== at) setTravel(room.seq, false);
  byId("room-facts").replaceChildren(
    ...facts({ kind: room.kind, "room id": room.roomId, seq: room.seq, epoch: room.epoch, created: new Date(room.createdAt).toLocaleString(), sockets: room.connections?.total ?? "?", route: room.href ?? "(none)" }),
  );
  byId("room-state").textContent = json(room.state);
  byId("room-state").dataset.seq = String(room.seq);
  byId("connections").replaceChildren(
    ...(room.connections?.list ?? []).map((c) => h("tr", { "data-user": c.userId }, h("td", {}, `${c.name} (${c.userId})`), h("td", {}, c.role), h("td", {}, time(c.connectedAt)), h("td", {}, h("code", {}, c.connId.slice(0, 8))))),
  );
  const m = room.metrics;
  byId("metrics").replaceChildren(
    ...(m
      ? facts({
          "frames in / out / http": `${m.messages?.in ?? 0} / ${m.messages?.out ?? 0} / ${m.messages?.http ?? 0}`,
          "bytes in / out": `${m.bytes?.in ?? 0} / ${m.bytes?.out ?? 0}`,
          errors: `${m.errors?.total ?? 0} ${json(m.errors?.byCode ?? {}).replace(/\s+/g, " ")}`,
          broadcasts: `${m.broadcasts?.count ?? 0}, mean ${Math.round((m.broadcasts?.latencyMs.mean ?? 0) * 10) / 10} ms, p95 ≤ ${m.broadcasts?.latencyMs.p95 ?? "-"} ms`,
        })
      : [h("dd", {}, "none")]),
  );
}

function facts(pairs: Record<string, string | number>): HTMLElement[] {
  return Object.entries(pairs).flatMap(([k, v]) => [h("dt", {}, k), h("dd", { "data-fact": k }, String(v))]);
}

// ---- the log -------------------------------------------------------------------

async function loadLog(more: boolean): Promise<void> {
  if (!selected) return;
  const q = new URLSearchParams({ limit: "50", ...(more && logNext !== null ? { before: String(logNext) } : {}) });
  try {
    const page = await admin<LogPage>(`/api/admin/rooms/${enc(selected)}/log?${q}`);
    const body = byId("log");
    if (!more) body.replaceChildren();
    const bySeq = new Map<number, LogPage["inputs"]>();
    for (const i of page.inputs) bySeq.set(i.seq, [...(bySeq.get(i.seq) ?? []), i]);
    for (const e of page.entries) {
      const inputs = bySeq.get(e.seq) ?? [];
      body.append(
        h(
          "tr",
          { "data-seq": e.seq, onclick: () => setTravel(e.seq, true) },
          h("td", {}, e.seq),
          h("td", {}, time(e.at)),
          h("td", {}, e.to ? e.to.join(", ") : e.groups ? "" : "everyone", e.groups ? ` groups: ${e.groups.join(", ")}` : ""),
          h("td", {}, h("code", {}, JSON.stringify(e.frame))),
          h("td", {}, ...inputs.map((i) => h("div", {}, h("code", {}, `${i.source} by ${i.actor.userId}: ${JSON.stringify(i.body)}`)))),
        ),
      );
    }
    logNext = page.next;
    byId("log-more").hidden = page.next === null;
  } catch (err) {
    showError("room-error", err);
  }
}

// ---- time travel ---------------------------------------------------------------

function setTravel(seq: number, show = false): void {
  byId<HTMLInputElement>("travel-range").value = String(seq);
  byId<HTMLInputElement>("travel-at").value = String(seq);
  if (show) void travel();
}

async function travel(): Promise<void> {
  if (!selected) return;
  const at = Number(byId<HTMLInputElement>("travel-at").value);
  const out = byId("travel-state");
  try {
    const t = await admin<Travel>(`/api/admin/rooms/${enc(selected)}/state?at=${at}`);
    showError("travel-error", null);
    out.textContent = json(t.state);
    out.dataset.at = String(t.at);
    byId("travel-meta").textContent = `seq ${t.at} of ${t.head}: ${t.inputs} input${t.inputs === 1 ? "" : "s"} replayed; online then: ${t.online.join(", ") || "nobody"}`;
  } catch (err) {
    out.textContent = "";
    delete out.dataset.at;
    byId("travel-meta").textContent = "";
    showError("travel-error", err);
  }
}

// ---- wiring --------------------------------------------------------------------

byId("rooms-refresh").addEventListener("click", () => void loadRooms());
byId("rooms-more").addEventListener("click", () => void loadRooms(true));
byId("kind-filter").addEventListener("change", () => void loadRooms());
byId("log-more").addEventListener("click", () => void loadLog(true));
byId("travel-go").addEventListener("click", () => void travel());
byId("travel-range").addEventListener("input", (e) => setTravel(Number((e.target as HTMLInputElement).value)));
byId("travel-range").addEventListener("change", () => void travel());
byId("travel-at").addEventListener("keydown", (e) => {
  if (e.key === "Enter") void travel();
});
const follow = () => {
  clearInterval(timer);
  if (byId<HTMLInputElement>("live").checked) timer = setInterval(() => void refresh(), 2_000);
};
byId("live").addEventListener("change", follow);
follow();

const wanted = new URLSearchParams(location.search).get("room");
void loadRooms().then(() => (wanted ? select(wanted) : undefined));
