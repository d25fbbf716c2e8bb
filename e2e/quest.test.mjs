// Two players on one quest team, each in their own browser context, playing
// the first stop of examples/quests/harbor-walk.json through the demo's buttons.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, logEntries, logStats, openUser, screenshot, shareLink, waitForBadge, waitForEntry, whoAmI, withUsers, browserPerFile } from "./helpers.mjs";

const file = browserPerFile();

test("quest: two players on one team see each other's steps live", { timeout: 90_000 }, () =>
  withUsers("quest", async (users) => {
    const ann = await openUser(file.browser, `${BASE}/?system=quest`);
    users.push(ann);
    await ann.page.getByTestId("quest-create").click();
    await waitForBadge(ann.page, "live");
    const link = await shareLink(ann.page);
    assert.match(link, /\/\?system=quest&code=[A-Z0-9]{4,12}$/);
    assert.equal(ann.page.url(), link, "the page's own URL is the share link (a reload rejoins)");

    const bo = await openUser(file.browser, link);
    users.push(bo);
    await waitForBadge(bo.page, "live");
    const annId = await whoAmI(ann.page);
    const boId = await whoAmI(bo.page);
    assert.notEqual(annId.sub, boId.sub, "each tab is its own user");

    // Bo's join reaches Ann: the team roster grows, then Bo comes online.
    await waitForEntry(ann.page, (e) => e.deltas === "PLAYER_REGISTERED" && e.text.includes(boId.name), "Bo registering, in Ann's log");
    await waitForEntry(ann.page, (e) => e.deltas === "PLAYER_JOINED" && e.text.includes(`${boId.name} is online`), "Bo online, in Ann's log");
    await ann.page.locator(`[data-testid=players] [data-player="${boId.sub}"].online`).waitFor();

    // Ann arrives at the lighthouse: Bo sees it.
    await ann.page.getByTestId("arrive-object1").click();
    await waitForEntry(
      bo.page,
      (e) => e.deltas.startsWith("OBJECT_ARRIVED") && e.text.includes(`${annId.name} arrived at Old Lighthouse (first)`),
      "Ann's arrival, in Bo's log",
    );

    // Bo finishes the audio intro: Ann sees it complete and the riddle unlock.
    await bo.page.getByTestId("complete-tl_object1__audio_intro").click();
    await waitForEntry(ann.page, (e) => e.deltas === "NODE_COMPLETED,NODE_UNLOCKED" && e.text.includes("The keeper's welcome” completed"), "the intro completing, in Ann's log");

    // A wrong answer is counted for the whole team; the right one unlocks the lamp.
    await ann.page.getByTestId("answer-tl_object1__riddle").fill("a boat");
    await ann.page.getByTestId("submit-tl_object1__riddle").click();
    await waitForEntry(bo.page, (e) => e.deltas === "PUZZLE_SUBMITTED" && e.text.includes("wrong, 2 left"), "Ann's wrong answer, in Bo's log");
    await bo.page.getByTestId("answer-tl_object1__riddle").fill("  Anchor ");
    await bo.page.getByTestId("submit-tl_object1__riddle").click();
    await waitForEntry(ann.page, (e) => e.deltas.startsWith("PUZZLE_SUBMITTED,NODE_COMPLETED") && e.text.includes("correct"), "Bo's right answer, in Ann's log");

    // Raising the lamp needs everyone (consensus "all"): 1/2, then 2/2 completes the stop.
    await ann.page.getByTestId("success-tl_object1__lift").click();
    await waitForEntry(bo.page, (e) => e.deltas.includes("CONSENSUS_UPDATED") && e.text.includes("1/2 players"), "the first vote, in Bo's log");
    await bo.page.getByTestId("success-tl_object1__lift").click();
    await waitForEntry(ann.page, (e) => e.deltas.includes("OBJECT_COMPLETED"), "the lighthouse completing, in Ann's log");
    await waitForEntry(bo.page, (e) => e.deltas.includes("OBJECT_COMPLETED"), "the lighthouse completing, in Bo's log");
    for (const user of users) {
      await user.page.locator("[data-object=object1][data-status=completed]").waitFor();
      await user.page.locator("[data-object=object3][data-status=available]").waitFor();
    }

    // Both pages list the same frames in the same order from Bo's first one on.
    const annLog = await logEntries(ann.page);
    const boLog = await logEntries(bo.page);
    const from = boLog[0].seq;
    const strip = (entries) => entries.filter((e) => e.seq >= from).map(({ seq, deltas }) => ({ seq, deltas }));
    assert.deepEqual(strip(annLog), strip(boLog));
    for (const log of [annLog, boLog]) {
      const seqs = log.map((e) => e.seq);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), "seqs increase");
      assert.equal(new Set(seqs).size, seqs.length, "no seq twice");
    }
    assert.equal((await logStats(ann.page)).anomalies, 0);
    assert.equal((await logStats(bo.page)).anomalies, 0);

    await screenshot(ann.page, "demo");
    assert.deepEqual(ann.problems, [], "no errors in Ann's console");
    assert.deepEqual(bo.problems, [], "no errors in Bo's console");
  }),
);

test("quest: a bad team code is reported on the setup card", { timeout: 30_000 }, () =>
  withUsers("quest-bad-code", async (users) => {
    const cy = await openUser(file.browser, `${BASE}/?system=quest&code=ZZZZZZ`);
    users.push(cy);
    await cy.page.locator("#setup-error").waitFor({ state: "visible" });
    assert.match((await cy.page.locator("#setup-error").textContent()) ?? "", /TEAM_NOT_FOUND/);
    assert.equal(await cy.page.getByTestId("badge").getAttribute("data-state"), "idle");
    assert.equal(await cy.page.locator("#setup").isVisible(), true);
  }),
);

test("quest: the share link opens a second tab as another user; a reload stays the same user", { timeout: 60_000 }, () =>
  withUsers("quest-tabs", async (users) => {
    const first = await openUser(file.browser, `${BASE}/?system=quest`);
    users.push(first);
    await first.page.getByTestId("quest-create").click();
    await waitForBadge(first.page, "live");
    const [second] = await Promise.all([first.context.waitForEvent("page"), first.page.locator("#share-open").click()]);
    await waitForBadge(second, "live");
    const a = await whoAmI(first.page);
    const b = await whoAmI(second);
    assert.notEqual(a.sub, b.sub, "the new tab is someone else");
    assert.equal(second.url(), await shareLink(first.page));
    await first.page.locator(`[data-testid=players] [data-player="${b.sub}"].online`).waitFor();

    await second.reload();
    await waitForBadge(second, "live");
    assert.equal((await whoAmI(second)).sub, b.sub, "a reload keeps the tab's user");
    await second.locator("[data-testid=players] li").nth(1).waitFor();
    assert.equal(await second.locator("[data-testid=players] li").count(), 2, "and does not add a player");
  }),
);
