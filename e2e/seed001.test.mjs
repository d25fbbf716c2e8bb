// Seed 001 (Gaia's DM -> player campaign sync), as the seed's PlayerPage is written: one socket to
// `/ws/campaign/player`, `handleCampaignUpdate` switching on `type` (`campaign_active` /
// `campaign_loaded` with a new `campaign_id` mean "Campaign changed to", `campaign_updated` for the
// current campaign replaces the data, `campaign_deactivated` shows "No Active Campaign").
// Additions to the seed's client: `?token=` (the seed's page already sends it when Auth0 gives one),
// and which DM's table the page follows (`&dm=<dm_user_id>`; the seed has one global orchestrator).
// Today's Hearth also needs `&campaign=<id>` and pins the socket to that campaign: the switching
// tests below need the DM's table (issue 23 item 1, branch `campaign`) and fail without it.
// Run just this file with `E2E_ONLY=seed001 npm run test:e2e`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { devToken } from "./helpers.mjs";
import { SeedSocket, call, unique } from "./seedSocket.mjs";

/** The seed's PlayerPage state and handler, as written (React state kept in a plain object). */
function playerPage(url) {
  const page = { currentCampaignId: null, latestStructuredData: null, changes: [], seen: [] };
  const transformStructuredData = (d) => ({
    narrative: d.narrative || "",
    all_narratives: d.all_narratives || null,
    turn: d.turn || "",
    status: d.status || "",
    characters: d.characters || "",
    turn_info: d.turn_info || null,
    environmental_conditions: d.environmental_conditions || "",
    immediate_threats: d.immediate_threats || "",
    story_progression: d.story_progression || "",
  });
  page.socket = new SeedSocket(url);
  page.socket.onFrame = (update) => {
    page.seen.push(`${update.type}${update.campaign_id ? ` ${update.campaign_id}` : ""}`);
    switch (update.type) {
      case "campaign_active":
      case "campaign_loaded":
        if (update.campaign_id !== page.currentCampaignId) {
          page.changes.push(update.campaign_id); // console.log('Campaign changed to:', ...)
          page.currentCampaignId = update.campaign_id;
        }
        if (update.structured_data) page.latestStructuredData = transformStructuredData(update.structured_data);
        break;
      case "campaign_updated":
        if (update.structured_data && update.campaign_id === page.currentCampaignId) page.latestStructuredData = transformStructuredData(update.structured_data);
        break;
      case "campaign_deactivated":
        page.currentCampaignId = null;
        page.latestStructuredData = null;
        break;
      default:
      // 'Unknown update type' (Hearth's snapshot, heartbeat answers, ...)
    }
  };
  /** Waits until the page shows `campaignId` with this narrative (null: "No Active Campaign"). */
  page.shows = (campaignId, narrative) =>
    page.socket.until(
      () => page.currentCampaignId === campaignId && (campaignId === null || page.latestStructuredData?.narrative === narrative),
      `the page to show ${campaignId ?? "No Active Campaign"}${narrative ? ` "${narrative}"` : ""} (frames: ${page.seen.join(", ")})`,
      undefined,
      true,
    );
  return page;
}

const data = (narrative, turn = "Round 1") => ({ narrative, turn, status: "exploring", characters: "Ann, Ben", environmental_conditions: "fog", immediate_threats: "none", story_progression: "act 1" });

/** A DM with campaigns A and B, and one invited player. */
async function table() {
  const dm = `dm-${unique()}`;
  const player = `pl-${unique()}`;
  const dmToken = await devToken({ sub: dm, name: "Dana" });
  const ids = [`A-${unique()}`, `B-${unique()}`];
  for (const campaign_id of ids) {
    const r = await call("POST", "/api/campaigns", dmToken, { campaign_id, dm_user_id: dm, players: [player] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  return { dm, dmToken, player, playerToken: await devToken({ sub: player, name: "Ann" }), A: ids[0], B: ids[1] };
}

/** The DM switches the active campaign (Hearth's one call for the seed's `activate_campaign`). */
async function activate(t, campaign_id, narrative) {
  const r = await call("POST", `/api/dms/${t.dm}/active`, t.dmToken, { campaign_id, structured_data: data(narrative) }, { "idempotency-key": crypto.randomUUID() });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

test("seed 001: a player page follows load, update and deactivate; campaign_active on connect; the DM hears player_joined and player_left; heartbeat", { timeout: 90_000 }, async () => {
  const t = await table();
  await activate(t, t.A, "The gates open.");
  const dmSocket = await SeedSocket.open(`/ws/campaign/dm?campaign=${t.A}&token=${t.dmToken}`);
  // Connecting while A is active: campaign_active with its data; the DM hears the player join.
  const page = playerPage(`/ws/campaign/player?campaign=${t.A}&token=${t.playerToken}`);
  await page.shows(t.A, "The gates open.");
  assert.ok(page.seen.includes(`campaign_active ${t.A}`));
  const joined = await dmSocket.waitType("player_joined", (f) => f.user_id === t.player);
  assert.equal(joined.username, "Ann");
  assert.ok(joined.timestamp);

  const up = await call("POST", `/api/campaigns/${t.A}/update`, t.dmToken, { structured_data: data("A dragon lands.", "Round 2") });
  assert.equal(up.status, 200, JSON.stringify(up.json));
  await page.shows(t.A, "A dragon lands.");
  assert.equal(page.latestStructuredData.turn, "Round 2");

  // The DM's own socket frames have the same effect.
  dmSocket.send({ type: "campaign_updated", structured_data: data("The dragon speaks.", "Round 3") });
  await page.shows(t.A, "The dragon speaks.");

  page.socket.send({ type: "heartbeat" });
  assert.ok((await page.socket.waitType("heartbeat")).timestamp);

  const off = await call("POST", `/api/campaigns/${t.A}/deactivate`, t.dmToken);
  assert.equal(off.status, 200, JSON.stringify(off.json));
  await page.shows(null);
  page.socket.close();
  assert.equal((await dmSocket.waitType("player_left", (f) => f.user_id === t.player)).username, "Ann");
  dmSocket.close();
});

for (const how of ["dm", "campaign"]) {
  test(`seed 001: the player page follows its DM's switches A -> B -> A on one socket (connected by ${how === "dm" ? "?dm=<dm>" : "?campaign=<A> of that DM"}) [needs issue 23 item 1]`, { timeout: 90_000 }, async () => {
    const t = await table();
    await activate(t, t.A, "A: the gates open.");
    const page = playerPage(`/ws/campaign/player?${how === "dm" ? `dm=${t.dm}` : `campaign=${t.A}`}&token=${t.playerToken}`);
    await page.shows(t.A, "A: the gates open.");

    // A -> B: the same socket hears A deactivated, then B loaded with its data.
    const toB = await activate(t, t.B, "B: the ship sails.");
    assert.deepEqual(toB.deactivated, [t.A]);
    await page.shows(t.B, "B: the ship sails.");
    const afterA = page.seen.lastIndexOf(`campaign_deactivated ${t.A}`);
    assert.ok(afterA >= 0 && afterA < page.seen.findIndex((s) => s.endsWith(` ${t.B}`) && /campaign_(loaded|active)/.test(s)), `deactivated A before loaded B: ${page.seen.join(", ")}`);

    // Every later update of B reaches it.
    const up = await call("POST", `/api/campaigns/${t.B}/update`, t.dmToken, { structured_data: data("B: a storm rises.") });
    assert.equal(up.status, 200, JSON.stringify(up.json));
    await page.shows(t.B, "B: a storm rises.");

    // B -> A, still the same socket.
    const toA = await activate(t, t.A, "A: back at the gates.");
    assert.deepEqual(toA.deactivated, [t.B]);
    await page.shows(t.A, "A: back at the gates.");
    assert.deepEqual(page.changes, [t.A, t.B, t.A]);
    assert.equal(page.socket.closed, null, "one connection throughout");
    page.socket.close();
  });
}
