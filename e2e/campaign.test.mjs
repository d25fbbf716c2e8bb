// Seed 001 in the browser: a DM view and a player view of one campaign (two users), the seed's
// connection badge ("Live" / "Reconnecting..."), and a player cut off the network who catches up.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, onOrigin, openUser, screenshot, shareLink, startProxy, until, waitForBadge, whoAmI, withUsers, browserPerFile } from "./helpers.mjs";

const file = browserPerFile();

const text = (page, testId) => page.getByTestId(testId).textContent();
const waitText = (page, testId, expected, what) => until(async () => (await page.getByTestId(testId).count()) > 0 && (await text(page, testId))?.trim() === expected, what, 30_000);

test("campaign: the DM loads and updates, the player's page follows live, across a network cut", { timeout: 120_000 }, () =>
  withUsers("campaign", async (users) => {
    file.proxy = await startProxy(BASE);
    const dm = await openUser(file.browser, `${BASE}/?system=campaign`);
    users.push(dm);
    await dm.page.getByTestId("campaign-create").click();
    await waitForBadge(dm.page, "live");
    await waitText(dm.page, "campaign-badge", "Live", "the DM's badge to say Live");
    const link = await shareLink(dm.page);
    assert.match(link, /\/\?system=campaign&campaign=camp-[0-9a-f]{8}$/);

    await dm.page.getByTestId("dm-narrative").fill("The gates of Emberfall open.");
    await dm.page.getByTestId("dm-turn").fill("Round 1");
    await dm.page.getByTestId("campaign-load").click();
    await waitText(dm.page, "cd-narrative", "The gates of Emberfall open.", "the DM's own view to show the load");

    // The player joins mid-campaign, through the proxy: campaign_active shows the latest data.
    const player = await openUser(file.browser, onOrigin(link, file.proxy.url));
    users.push(player);
    await waitText(player.page, "campaign-badge", "Live", "the player's badge to say Live");
    await waitText(player.page, "cd-narrative", "The gates of Emberfall open.", "campaign_active on the player's page");
    assert.equal((await text(player.page, "cd-turn"))?.trim(), "Round 1");
    assert.equal(await player.page.getByTestId("campaign-load").count(), 0, "only the DM gets the campaign form");
    const me = await whoAmI(player.page);
    const listed = dm.page.locator(`[data-testid=players] [data-player="${me.sub}"]`);
    await listed.waitFor();

    await dm.page.getByTestId("dm-narrative").fill("A dragon lands on the wall.");
    await dm.page.getByTestId("campaign-update").click();
    await waitText(player.page, "cd-narrative", "A dragon lands on the wall.", "the update on the player's page");

    await player.page.getByTestId("status-ready").click();
    await until(async () => (await listed.getAttribute("data-status")) === "ready", "the player's status on the DM's page");

    // Cut the player's network: the seed's badge says Reconnecting...; the DM updates meanwhile.
    file.proxy.cut();
    await waitText(player.page, "campaign-badge", "Reconnecting...", "the badge to say Reconnecting...");
    await dm.page.getByTestId("dm-narrative").fill("The dragon breathes fire.");
    await dm.page.getByTestId("campaign-update").click();
    await waitText(dm.page, "cd-narrative", "The dragon breathes fire.", "the DM's own update");
    file.proxy.restore();
    await waitText(player.page, "campaign-badge", "Live", "the badge back to Live");
    await waitText(player.page, "cd-narrative", "The dragon breathes fire.", "the missed update after the reconnect");

    await dm.page.getByTestId("campaign-deactivate").click();
    await player.page.getByTestId("no-campaign").waitFor();

    await screenshot(dm.page, "demo-campaign-dm");
    await screenshot(player.page, "demo-campaign-player");
    assert.deepEqual(dm.problems, [], "no errors in the DM's console");
    // The cut makes Chromium log the failed reconnect attempts; nothing else may appear.
    assert.deepEqual(player.problems.filter((p) => !/WebSocket|ERR_CONNECTION|Failed to load resource/.test(p)), [], "no other errors in the player's console");
  }),
);
