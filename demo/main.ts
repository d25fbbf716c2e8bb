/**
 * Hearth demo page: pick a system, create or join a session, watch it live.
 * Served by the Worker at `/` (public/index.html + this bundle in public/build/).
 */
import { ApiError, HearthApi, loadIdentity, saveIdentity } from "./api";
import { startCampaign } from "./campaign";
import { byId, h } from "./dom";
import { startGames } from "./games";
import { startFeed } from "./feed";
import { EventLog } from "./log";
import { startQuest } from "./quest";
import { setBadge, type DemoContext, type RunningSession } from "./session";
import { startTabletop } from "./tabletop";

type System = "quest" | "tabletop" | "campaign" | "games" | "feed";
const SYSTEMS: readonly System[] = ["quest", "tabletop", "campaign", "games", "feed"];
const systemNamed = (name: string | null | undefined): System => SYSTEMS.find((s) => s === name) ?? "quest";

const identity = loadIdentity();
const api = new HearthApi(identity);
const log = new EventLog(byId<HTMLOListElement>("log"), byId("stats"));
const setupError = byId("setup-error");
const actionError = byId("action-error");
const ctx: DemoContext = {
  api,
  identity,
  log,
  actions: byId("actions"),
  state: byId("state"),
  actionError(message) {
    actionError.hidden = message === null;
    actionError.textContent = message ?? "";
  },
};
let running: RunningSession | undefined;
let system: System = "quest";

// ---- setup card -----------------------------------------------------------

const nameInput = byId<HTMLInputElement>("player-name");
nameInput.value = identity.name;
nameInput.addEventListener("change", () => {
  const name = nameInput.value.trim();
  if (name === "" || name === identity.name) return;
  identity.name = name;
  saveIdentity(identity);
  api.dropPlayerToken(); // the name rides in the token
  renderIdentity();
});

for (const tab of document.querySelectorAll<HTMLButtonElement>(".tab")) {
  tab.addEventListener("click", () => selectSystem(systemNamed(tab.dataset.system)));
}

byId("quest-create").addEventListener("click", () => void enter("quest", () => startQuest(ctx, { create: true }).then(questEntered)));
byId("quest-join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const code = byId<HTMLInputElement>("quest-code").value.trim().toUpperCase();
  if (code) void enter("quest", () => startQuest(ctx, { code }).then(questEntered));
});
byId("tabletop-create").addEventListener("click", () => void enter("tabletop", () => startTabletop(ctx, { create: true }).then(tabletopEntered)));
byId("feed-subscribe").addEventListener("click", () => void enter("feed", async () => feedEntered(startFeed(ctx))));
byId("tabletop-join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const id = byId<HTMLInputElement>("tabletop-id").value.trim();
  if (id) void enter("tabletop", () => startTabletop(ctx, { sessionId: id }).then(tabletopEntered));
});

byId("games-open").addEventListener("click", () => void enter("games", () => startGames(ctx).then(({ session }) => ({ title: "Games lobby", query: "?system=games", session }))));
byId("campaign-create").addEventListener("click", () => void enter("campaign", () => startCampaign(ctx, { create: true }).then(campaignEntered)));
byId("campaign-join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const id = byId<HTMLInputElement>("campaign-id").value.trim();
  if (id) void enter("campaign", () => startCampaign(ctx, { campaignId: id }).then(campaignEntered));
});

// ---- session card ---------------------------------------------------------

byId("share-copy").addEventListener("click", async () => {
  const link = byId<HTMLInputElement>("share-link");
  try {
    await navigator.clipboard.writeText(link.value);
    byId("share-copy").textContent = "Copied";
    setTimeout(() => (byId("share-copy").textContent = "Copy"), 1500);
  } catch {
    link.select(); // no clipboard access (plain http on another host): let the user copy it
  }
});
byId("leave").addEventListener("click", () => {
  running?.close();
  running = undefined;
  log.clear();
  setBadge("idle");
  showSession(false);
  history.replaceState(null, "", `/?system=${system}`);
});

// ---- flow -------------------------------------------------------------------

interface Entered {
  title: string;
  query: string;
  session: RunningSession;
}

const questEntered = ({ code, session }: { code: string; session: RunningSession }): Entered => ({
  title: `Quest · team ${code}`,
  query: `?system=quest&code=${encodeURIComponent(code)}`,
  session,
});
const tabletopEntered = ({ sessionId, session }: { sessionId: string; session: RunningSession }): Entered => ({
  title: `Tabletop · session ${sessionId.slice(0, 8)}`,
  query: `?system=tabletop&session=${encodeURIComponent(sessionId)}`,
  session,
});

const feedEntered = (session: RunningSession): Entered => ({ title: "Workflow event feed", query: "?system=feed", session });
const campaignEntered = ({ campaignId, session }: { campaignId: string; session: RunningSession }): Entered => ({
  title: `Campaign · ${campaignId}`,
  query: `?system=campaign&campaign=${encodeURIComponent(campaignId)}`,
  session,
});

async function enter(which: System, start: () => Promise<Entered>): Promise<void> {
  selectSystem(which);
  setupError.hidden = true;
  const buttons = [...document.querySelectorAll<HTMLButtonElement>("#setup button")];
  for (const b of buttons) b.disabled = true;
  setBadge("connecting");
  try {
    running?.close();
    log.clear();
    ctx.actionError(null);
    showSession(true);
    const entered = await start();
    running = entered.session;
    byId("session-title").textContent = entered.title;
    const url = new URL(entered.query, location.href).toString();
    byId<HTMLInputElement>("share-link").value = url;
    byId<HTMLAnchorElement>("share-open").href = url;
    history.replaceState(null, "", entered.query);
    document.title = `${entered.title} · Hearth demo`;
  } catch (error) {
    showSession(false);
    setBadge("idle");
    setupError.hidden = false;
    setupError.textContent = error instanceof ApiError ? `${error.code}: ${error.message}` : `Something went wrong: ${String(error)}`;
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

function selectSystem(which: System): void {
  system = which;
  for (const tab of document.querySelectorAll<HTMLButtonElement>(".tab")) tab.setAttribute("aria-selected", String(tab.dataset.system === which));
  for (const pane of document.querySelectorAll<HTMLElement>(".pane")) pane.hidden = pane.dataset.pane !== which;
}

function showSession(on: boolean): void {
  byId("setup").hidden = on;
  byId("session").hidden = !on;
}

function renderIdentity(): void {
  byId("identity").replaceChildren("You are ", h("strong", { "data-testid": "me" }, identity.name), " ", h("code", { title: "your user id (sub)" }, identity.sub));
}

// ---- boot: a share link opens its session straight away --------------------

renderIdentity();
setBadge("idle");
const params = new URLSearchParams(location.search);
const initial: System = systemNamed(params.get("system"));
selectSystem(initial);
const sharedCode = params.get("code");
const sharedSession = params.get("session");
const sharedCampaign = params.get("campaign");
if (initial === "quest" && sharedCode) {
  byId<HTMLInputElement>("quest-code").value = sharedCode;
  void enter("quest", () => startQuest(ctx, { code: sharedCode }).then(questEntered));
} else if (initial === "tabletop" && sharedSession) {
  byId<HTMLInputElement>("tabletop-id").value = sharedSession;
  void enter("tabletop", () => startTabletop(ctx, { sessionId: sharedSession }).then(tabletopEntered));
} else if (initial === "campaign" && sharedCampaign) {
  byId<HTMLInputElement>("campaign-id").value = sharedCampaign;
  void enter("campaign", () => startCampaign(ctx, { campaignId: sharedCampaign }).then(campaignEntered));
}
