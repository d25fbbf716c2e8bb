// Two players and a spectator on the demo's games view (seed 004, /ws/games): create, join,
// ready, roll to the end of a bigger_dice game, while the spectator watches it live.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, openUser, until, withUsers, browserPerFile } from "./helpers.mjs";

const file = browserPerFile();

/** A click that timed out is one the turn moved away from; any other failure is real. */
const notClickedInTime = (err) => {
  if (err?.name !== "TimeoutError") throw err;
};

const status = (page) => page.locator("[data-testid=games-room]").getAttribute("data-status");

async function lobby(users) {
  const u = await openUser(file.browser, `${BASE}/?system=games`);
  users.push(u);
  await u.page.getByTestId("games-open").click();
  await u.page.getByTestId("games-create").waitFor();
  return u;
}

test("games: a bigger_dice game played to the end from two tabs, watched from a third", { timeout: 120_000 }, () =>
  withUsers("games", async (users) => {
    const host = await lobby(users);
    const guest = await lobby(users);
    const watcher = await lobby(users);
    const name = `e2e ${Date.now().toString(36)}`;
    await host.page.getByTestId("games-room-name").fill(name);
    await host.page.getByTestId("games-create").click();
    await host.page.locator("[data-testid=games-room]").waitFor();

    const row = (page) => page.locator("[data-testid=games-rooms] li", { hasText: name });
    await row(guest.page).getByTestId("games-join").click();
    await guest.page.locator("[data-testid=games-room]").waitFor();
    await row(watcher.page).getByTestId("games-watch").click();
    await watcher.page.locator("[data-testid=games-room][data-role=spectator]").waitFor();

    await host.page.getByTestId("games-ready").click();
    await guest.page.getByTestId("games-ready").click();
    await until(async () => (await status(watcher.page)) === "InProgress", "the game to start, on the spectator's page");

    // Click Roll wherever it is enabled (only the player whose turn it is has it) until the game ends.
    // The turn can pass between isEnabled() and click(): the click then gives up after a moment
    // (a disabled button never becomes clickable until this page's next turn) and the loop polls
    // again, instead of waiting out Playwright's 30 s action timeout.
    await until(
      async () => {
        for (const p of [host.page, guest.page]) {
          const roll = p.getByTestId("games-roll");
          if ((await roll.count()) && (await roll.isEnabled())) await roll.click({ timeout: 1_000 }).catch(notClickedInTime);
        }
        return (await status(watcher.page)) === "Finished";
      },
      "the game to end",
      90_000,
    );
    assert.equal(await status(host.page), "Finished");
    assert.equal(await status(guest.page), "Finished");
    for (const u of users) assert.deepEqual(u.problems, []);
  }),
);
