// A DM and a player at one tabletop session ({event, data} frames over
// /ws/game/:id), then a latecomer who gets the recent history on join.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, logEntries, logStats, openUser, screenshot, shareLink, waitForBadge, waitForEntry, whoAmI, withUsers, browserPerFile } from "./helpers.mjs";

const file = browserPerFile();

test("tabletop: DM narration, player chat and server dice reach both pages", { timeout: 90_000 }, () =>
  withUsers("tabletop", async (users) => {
    const dm = await openUser(file.browser, `${BASE}/?system=tabletop`);
    users.push(dm);
    await dm.page.getByTestId("tabletop-create").click();
    await waitForBadge(dm.page, "live");
    await dm.page.getByTestId("narration-input").waitFor();
    assert.equal(await dm.page.getByTestId("role").textContent(), "the DM");
    const link = await shareLink(dm.page);
    assert.match(link, /\/\?system=tabletop&session=[0-9a-f-]{36}$/);

    const player = await openUser(file.browser, link);
    users.push(player);
    await waitForBadge(player.page, "live");
    const playerId = await whoAmI(player.page);
    assert.equal(await player.page.getByTestId("role").textContent(), "a player");
    assert.equal(await player.page.getByTestId("narration-input").count(), 0, "only the DM gets the narration form");
    await waitForEntry(dm.page, (e) => e.type === "player_joined" && e.text.includes(playerId.name), "the player joining, in the DM's log");
    await dm.page.locator(`[data-testid=players] [data-player="${playerId.sub}"]`).waitFor();

    await dm.page.getByTestId("narration-input").fill("The tavern door creaks open.");
    await dm.page.getByTestId("narrate").click();
    await waitForEntry(player.page, (e) => e.type === "dm_narration" && e.text === "The tavern door creaks open.", "the narration, in the player's log");

    await player.page.getByTestId("chat-input").fill("Who goes there?");
    await player.page.getByTestId("chat-send").click();
    await waitForEntry(dm.page, (e) => e.type === "chat_message" && e.text === `${playerId.name}: Who goes there?`, "the chat, in the DM's log");

    await player.page.getByTestId("dice-formula").fill("2d6+1");
    await player.page.getByTestId("dice-label").fill("Perception");
    await player.page.getByTestId("dice-roll").click();
    const roll = await waitForEntry(dm.page, (e) => e.type === "dice_roll", "the roll, in the DM's log");
    assert.match(roll.text, new RegExp(`^${playerId.name} rolled 2d6\\+1 \\(Perception\\) = (\\d+)`));
    const result = Number(/= (\d+)/.exec(roll.text)[1]);
    assert.ok(result >= 3 && result <= 13, `2d6+1 = ${result}`);
    await waitForEntry(player.page, (e) => e.type === "dice_roll" && e.text.includes(`= ${result}`), "the same roll, in the player's log");

    // A formula the server refuses: the error shows, nothing is logged.
    const framesBefore = (await logStats(player.page)).frames;
    await player.page.getByTestId("dice-formula").fill("1d1");
    await player.page.getByTestId("dice-roll").click();
    await player.page.getByTestId("action-error").waitFor({ state: "visible" });
    assert.match((await player.page.getByTestId("action-error").textContent()) ?? "", /BAD_FORMULA/);
    assert.equal((await logStats(player.page)).frames, framesBefore);

    // Both pages agree on every frame the player was sent.
    const dmLog = await logEntries(dm.page);
    const playerLog = await logEntries(player.page);
    const dmBySeq = new Map(dmLog.map((e) => [e.seq, e]));
    for (const e of playerLog) {
      if (e.history) continue;
      assert.equal(dmBySeq.get(e.seq)?.text, e.text, `seq ${e.seq} reads the same on both pages`);
    }
    assert.equal((await logStats(dm.page)).anomalies, 0);
    assert.equal((await logStats(player.page)).anomalies, 0);

    // A latecomer gets the recent history (HISTORY_ON_JOIN) in order, marked as such.
    const late = await openUser(file.browser, link);
    users.push(late);
    await waitForBadge(late.page, "live");
    await waitForEntry(late.page, (e) => e.history && e.type === "chat_message" && e.text.endsWith("Who goes there?"), "the chat, in the latecomer's history");
    const lateLog = await logEntries(late.page);
    const seqs = lateLog.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.deepEqual(
      lateLog.filter((e) => e.history && ["dm_narration", "chat_message", "dice_roll"].includes(e.type)).map((e) => e.type),
      ["dm_narration", "chat_message", "dice_roll"],
    );
    await late.context.close();
    users.pop();

    await screenshot(dm.page, "demo-tabletop");
    assert.deepEqual(dm.problems, [], "no errors in the DM's console");
    assert.deepEqual(
      player.problems.filter((p) => !p.includes("BAD_FORMULA")),
      [],
      "no errors in the player's console",
    );
  }),
);
