// Two players and a spectator on the demo's games view (seed 004, /ws/games): create, join,
// ready, roll to the end of a bigger_dice game, while the spectator watches it live. The page
// speaks in names, not ids: a board with each player's score and whose turn it is, and the
// live log in sentences ("Ann rolled 5", "Bob's turn", "Ann won 10-7"), never raw JSON.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, browserPerFile, logStats, openUser, screenshot, until, withUsers } from "./helpers.mjs";

const file = browserPerFile();

/** A click that timed out is one the turn moved away from; any other failure is real. */
const notClickedInTime = (err) => {
  if (err?.name !== "TimeoutError") throw err;
};

const status = (page) => page.locator("[data-testid=games-room]").getAttribute("data-status");

/** A tab named `name` (the name rides in its token) in the games lobby. */
async function lobby(users, name) {
  const u = await openUser(file.browser, `${BASE}/?system=games`);
  users.push(u);
  const field = u.page.locator("#player-name");
  await field.fill(name);
  await field.dispatchEvent("change");
  await u.page.waitForFunction((n) => document.querySelector("[data-testid=me]")?.textContent === n, name);
  await u.page.getByTestId("games-open").click();
  await u.page.getByTestId("games-create").waitFor();
  return u;
}

test("games: a bigger_dice game played to the end from two tabs, watched from a third", { timeout: 120_000 }, () =>
  withUsers("games", async (users) => {
    const host = await lobby(users, "Ann");
    const guest = await lobby(users, "Bob");
    const watcher = await lobby(users, "Cy");
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

    // The board: both players by name, scores at 0, and one of them to roll, the same on every page.
    const firstTurn = await until(async () => {
      const text = await watcher.page.getByTestId("games-turn").textContent();
      return /^(Ann|Bob)'s turn$/.exec(text)?.[1];
    }, "the board to say whose turn it is");
    const cards = (page) =>
      page.$$eval("[data-testid=games-player]", (els) => els.map((el) => ({ name: el.querySelector("[data-testid=games-player-name]").firstChild.textContent, score: Number(el.dataset.score), turn: el.dataset.turn === "true", won: el.dataset.won === "true" })));
    const start = await cards(watcher.page);
    assert.deepEqual(start.map((c) => c.name).sort(), ["Ann", "Bob"]);
    assert.deepEqual(start.map((c) => c.score), [0, 0]);
    assert.deepEqual(start.filter((c) => c.turn).map((c) => c.name), [firstTurn], "the card marked to roll is the player the turn line names");
    const roller = firstTurn === "Ann" ? host : guest;
    await until(async () => (await roller.page.getByTestId("games-turn").textContent()) === `Your turn, ${firstTurn}: roll!`, "the roller's own page to say it's their turn");

    // Click Roll wherever it is enabled (only the player whose turn it is has it) until the game ends.
    // The turn can pass between isEnabled() and click(): the click then gives up after a moment
    // (a disabled button never becomes clickable until this page's next turn) and the loop polls
    // again, instead of waiting out Playwright's 30 s action timeout.
    let midGame;
    await until(
      async () => {
        for (const p of [host.page, guest.page]) {
          const roll = p.getByTestId("games-roll");
          if ((await roll.count()) && (await roll.isEnabled())) await roll.click({ timeout: 1_000 }).catch(notClickedInTime);
        }
        // Mid-game, once someone has points: a picture of the board with scores and whose turn it is.
        if (!midGame && (await status(host.page)) === "InProgress" && (await cards(host.page)).some((c) => c.score >= 3)) midGame = await screenshot(host.page, "games-playing");
        return (await status(watcher.page)) === "Finished";
      },
      "the game to end",
      90_000,
    );
    assert.equal(await status(host.page), "Finished");
    assert.equal(await status(guest.page), "Finished");

    // The result in words, and the board agreeing with it: the winner's card has 10 and is marked.
    const result = await watcher.page.getByTestId("games-turn").textContent();
    const [, winner, winnerScore, loserScore] = /^(Ann|Bob) won (\d+)-(\d+)$/.exec(result) ?? assert.fail(`the board's last line: ${result}`);
    assert.equal(Number(winnerScore), 10);
    assert.ok(Number(loserScore) < 10);
    const end = await cards(watcher.page);
    assert.deepEqual(end.find((c) => c.won), { name: winner, score: 10, turn: false, won: true });
    assert.equal(end.find((c) => !c.won).score, Number(loserScore));

    for (const u of [host, guest, watcher]) {
      // Sentences with names: rolls, turns, rounds and the result; nothing is raw JSON or a user id.
      // Game events carry no seq (docs/protocol.md): read every line, not only logEntries' seq'd ones.
      const bodies = () => u.page.$$eval("[data-testid=log] li .body", (els) => els.map((el) => el.textContent));
      await until(async () => (await bodies()).includes(result), "the result in the log");
      const lines = await bodies();
      const texts = lines;
      for (const line of lines) {
        assert.doesNotMatch(line, /^[[{]|":/, `a raw JSON line in the log: ${line}`);
        assert.doesNotMatch(line, /user-[0-9a-f]{8}/, `a user id instead of a name: ${line}`);
      }
      assert.ok(texts.some((t) => /^(Ann|Bob) rolled [1-6]$/.test(t)), "a roll as a sentence");
      assert.ok(texts.some((t) => /^(Ann|Bob)'s turn$/.test(t)), "a turn change as a sentence");
      assert.ok(texts.some((t) => /^(Ann|Bob) won round \d+, [1-6]-[1-6]$|^Round \d+ is a tie at (\d)-\1$/.test(t)), "a round's result as a sentence");
      // The counter counts every frame the log lists (lobby frames with a seq, game events without).
      // Read in one go in the page: a late lobby push (rooms_updated) may land between two reads.
      const seen = await u.page.evaluate(() => {
        const stats = document.querySelector("[data-testid=stats]");
        return { counted: Number(stats.dataset.frames), text: stats.textContent, listed: document.querySelectorAll("[data-testid=log] li.tone-frame").length };
      });
      assert.equal((await logStats(u.page)).anomalies, 0);
      assert.equal(seen.counted, seen.listed);
      assert.ok(seen.counted >= 20, `the counter shows the game's frames (${seen.counted})`);
      assert.match(seen.text, new RegExp(`^${seen.counted} frames`));
    }
    await screenshot(host.page, "games");
    await screenshot(watcher.page, "games-spectator");
    for (const u of users) assert.deepEqual(u.problems, []);
  }),
);
