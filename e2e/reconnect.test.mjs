// A page loses its connection, the session moves on without it, and after the
// SDK reconnects (with ?since=&epoch=) the page holds every missed frame
// exactly once, in seq order, without a snapshot fallback.
//
// How the connection is lost: the page is loaded through a TCP proxy
// (helpers.mjs startProxy) and the test cuts it. Every open connection of that
// page is reset (Chromium reports close 1006; the Durable Object sees the socket
// close and announces the player leaving) and new connections are refused, so
// the SDK's retries fail with backoff until the proxy is restored. Nothing in
// the page is stubbed: the real browser WebSocket and the real SDK do the work.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BASE,
  api,
  devToken,
  logEntries,
  logStats,
  onOrigin,
  openUser,
  screenshot,
  shareLink,
  startProxy,
  until,
  waitForBadge,
  waitForEntry,
  whoAmI,
  withUsers,
  browserPerFile,
} from "./helpers.mjs";

/** Long enough for several backoff rounds plus a resume; every wait below is bounded. */
const RECONNECT_MS = 30_000;

const file = browserPerFile();

const lastSeq = async (page) => (await logStats(page)).lastSeq;
const count = (entries, predicate) => entries.filter(predicate).length;

test("quest: a player cut off the network gets every missed delta exactly once after reconnecting", { timeout: 120_000 }, () =>
  withUsers("reconnect-quest", async (users) => {
    file.proxy = await startProxy(BASE);
    // Ann's page (HTTP and socket) goes through the proxy; Bo's talks to wrangler directly.
    const ann = await openUser(file.browser, `${file.proxy.url}/?system=quest`);
    users.push(ann);
    await ann.page.getByTestId("quest-create").click();
    await waitForBadge(ann.page, "live");
    const code = new URL(await shareLink(ann.page)).searchParams.get("code");
    const bo = await openUser(file.browser, onOrigin(await shareLink(ann.page), BASE));
    users.push(bo);
    await waitForBadge(bo.page, "live");
    const annId = await whoAmI(ann.page);
    const boId = await whoAmI(bo.page);
    await waitForEntry(ann.page, (e) => e.deltas === "PLAYER_JOINED" && e.text.includes(boId.name), "Bo online, in Ann's log");

    await ann.page.getByTestId("arrive-object1").click();
    await waitForEntry(bo.page, (e) => e.deltas.startsWith("OBJECT_ARRIVED"), "Ann's arrival, in Bo's log");
    const arrived = await waitForEntry(ann.page, (e) => e.deltas.startsWith("OBJECT_ARRIVED"), "Ann's arrival, in Ann's log");
    const cutAt = await lastSeq(ann.page);
    assert.equal(cutAt, arrived.seq);

    // ---- the cut ----
    file.proxy.cut();
    await waitForBadge(ann.page, "reconnecting");
    await waitForEntry(bo.page, (e) => e.seq > cutAt && e.deltas === "PLAYER_LEFT" && e.text.includes(annId.name), "Ann going offline, in Bo's log");

    // Meanwhile the team goes on: two steps from Bo's page, one from a service over HTTP.
    await bo.page.getByTestId("complete-tl_object1__audio_intro").click();
    await waitForEntry(bo.page, (e) => e.deltas === "NODE_COMPLETED,NODE_UNLOCKED", "the intro completing, in Bo's log");
    await bo.page.getByTestId("answer-tl_object1__riddle").fill("a lantern");
    await bo.page.getByTestId("submit-tl_object1__riddle").click();
    await waitForEntry(bo.page, (e) => e.deltas === "PUZZLE_SUBMITTED" && e.text.includes("2 left"), "Bo's first wrong answer");
    const service = await devToken({ sub: "e2e-service", name: "E2E service", scope: "events:publish" });
    await api("POST", `/api/runtime/session/${code}/events`, service, { type: "PUZZLE_SUBMIT", playerId: boId.sub, nodeId: "tl_object1__riddle", answer: "a rope" });
    await waitForEntry(bo.page, (e) => e.deltas === "PUZZLE_SUBMITTED" && e.text.includes("1 left"), "the service's wrong answer");

    // The SDK kept trying (and failing) while cut off, and Ann's page saw none of it.
    await until(() => file.proxy.state.refused >= 1, "a reconnect attempt while cut off");
    assert.equal(await ann.page.getByTestId("badge").getAttribute("data-state"), "reconnecting");
    assert.equal(await lastSeq(ann.page), cutAt, "nothing reached Ann while cut off");
    const missed = (await logEntries(bo.page)).filter((e) => e.seq > cutAt);
    assert.deepEqual(
      missed.map((e) => e.deltas),
      ["PLAYER_LEFT", "NODE_COMPLETED,NODE_UNLOCKED", "PUZZLE_SUBMITTED", "PUZZLE_SUBMITTED"],
    );

    // ---- back online ----
    file.proxy.restore();
    await waitForBadge(ann.page, "live", RECONNECT_MS);
    const boHead = await until(async () => {
      const [a, b] = [await lastSeq(ann.page), await lastSeq(bo.page)];
      return a === b && a > missed.at(-1).seq ? a : 0;
    }, "Ann's log to catch up with Bo's");

    const annLog = await logEntries(ann.page);
    const boLog = await logEntries(bo.page);
    const after = (log) => log.filter((e) => e.seq > cutAt).map(({ seq, deltas }) => ({ seq, deltas }));
    // Exactly Bo's frames, in the same order: the missed ones, then Ann's own return.
    assert.deepEqual(after(annLog), after(boLog));
    assert.deepEqual(
      after(annLog).map((e) => e.deltas),
      ["PLAYER_LEFT", "NODE_COMPLETED,NODE_UNLOCKED", "PUZZLE_SUBMITTED", "PUZZLE_SUBMITTED", "PLAYER_JOINED"],
    );
    assert.equal(after(annLog).at(-1).seq, boHead);
    const seqs = annLog.map((e) => e.seq);
    assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), "each seq once, increasing");
    assert.equal(count(annLog, (e) => e.deltas === "NODE_COMPLETED,NODE_UNLOCKED"), 1);
    assert.equal(count(annLog, (e) => e.deltas === "PUZZLE_SUBMITTED"), 2);

    // It was a resume (since=cutAt replayed), not a fresh snapshot.
    const stats = await logStats(ann.page);
    assert.equal(stats.anomalies, 0);
    assert.equal(stats.fallbacks, 0, "no snapshot fallback");
    assert.equal(stats.resumes, 1);
    assert.equal(stats.reconnects, 1);
    const resumed = await ann.page.locator("[data-testid=log] li[data-tag=resumed]").textContent();
    assert.match(resumed ?? "", /resumed: 5 missed frames replayed/);

    // And the page is fully back: Ann solves the riddle, Bo sees it.
    await ann.page.getByTestId("answer-tl_object1__riddle").fill("anchor");
    await ann.page.getByTestId("submit-tl_object1__riddle").click();
    await waitForEntry(bo.page, (e) => e.seq > boHead && e.deltas.startsWith("PUZZLE_SUBMITTED,NODE_COMPLETED"), "Ann's answer after the reconnect, in Bo's log");
    await screenshot(ann.page, "reconnect-quest");
    await file.proxy.close();
    file.proxy = undefined;
  }),
);

test("tabletop: a player cut off the network misses nothing and its queued chat goes out once", { timeout: 120_000 }, () =>
  withUsers("reconnect-tabletop", async (users) => {
    file.proxy = await startProxy(BASE);
    const dm = await openUser(file.browser, `${BASE}/?system=tabletop`);
    users.push(dm);
    await dm.page.getByTestId("tabletop-create").click();
    await waitForBadge(dm.page, "live");
    const player = await openUser(file.browser, onOrigin(await shareLink(dm.page), file.proxy.url));
    users.push(player);
    await waitForBadge(player.page, "live");
    const playerId = await whoAmI(player.page);
    await waitForEntry(dm.page, (e) => e.type === "player_joined" && e.text.includes(playerId.name), "the player joining, in the DM's log");

    await dm.page.getByTestId("chat-input").fill("Welcome, traveller.");
    await dm.page.getByTestId("chat-send").click();
    await waitForEntry(player.page, (e) => e.type === "chat_message" && e.text.endsWith("Welcome, traveller."), "the DM's greeting");
    const cutAt = await lastSeq(player.page);

    // ---- the cut ----
    file.proxy.cut();
    await waitForBadge(player.page, "reconnecting");
    // The player types while offline: the SDK queues the command until it is live again.
    await player.page.getByTestId("chat-input").fill("Sorry, my connection dropped");
    await player.page.getByTestId("chat-send").click();

    await waitForEntry(dm.page, (e) => e.seq > cutAt && e.type === "player_left", "the player leaving, in the DM's log");
    await dm.page.getByTestId("narration-input").fill("A storm rolls in while you are away.");
    await dm.page.getByTestId("narrate").click();
    await dm.page.getByTestId("chat-input").fill("Roll for initiative when you're back!");
    await dm.page.getByTestId("chat-send").click();
    await dm.page.getByTestId("dice-formula").fill("1d20");
    await dm.page.getByTestId("dice-roll").click();
    await waitForEntry(dm.page, (e) => e.seq > cutAt && e.type === "dice_roll", "the DM's roll");
    await until(() => file.proxy.state.refused >= 1, "a reconnect attempt while cut off");
    assert.equal(await lastSeq(player.page), cutAt, "nothing reached the player while cut off");
    const missed = (await logEntries(dm.page)).filter((e) => e.seq > cutAt);
    assert.deepEqual(
      missed.map((e) => e.type),
      ["player_left", "dm_narration", "chat_message", "dice_roll"],
    );
    assert.equal(count(await logEntries(dm.page), (e) => e.text.endsWith("Sorry, my connection dropped")), 0, "the queued chat waits");

    // ---- back online ----
    file.proxy.restore();
    await waitForBadge(player.page, "live", RECONNECT_MS);
    await waitForEntry(dm.page, (e) => e.type === "chat_message" && e.text === `${playerId.name}: Sorry, my connection dropped`, "the queued chat, in the DM's log");
    await waitForEntry(player.page, (e) => e.type === "chat_message" && e.text.endsWith("Sorry, my connection dropped"), "the queued chat echoed back");

    const dmLog = await logEntries(dm.page);
    const playerLog = await logEntries(player.page);
    const tail = (log) => log.filter((e) => e.seq > cutAt).map(({ seq, type, text }) => ({ seq, type, text }));
    // The player gets everything the DM got, except the player_joined about itself (sent to the others only).
    assert.deepEqual(
      tail(playerLog),
      tail(dmLog).filter((e) => !(e.type === "player_joined" && e.text.includes(playerId.name))),
    );
    assert.deepEqual(
      tail(playerLog).map((e) => e.type),
      ["player_left", "dm_narration", "chat_message", "dice_roll", "chat_message"],
    );
    assert.equal(count(dmLog, (e) => e.text.endsWith("Sorry, my connection dropped")), 1, "the queued chat was applied once");
    assert.equal(count(playerLog, (e) => e.text.endsWith("Sorry, my connection dropped")), 1);
    const seqs = playerLog.map((e) => e.seq);
    assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), "each seq once, increasing");
    const stats = await logStats(player.page);
    assert.equal(stats.anomalies, 0);
    assert.equal(stats.fallbacks, 0, "no snapshot fallback");
    assert.equal(stats.resumes, 1);
    assert.match((await player.page.locator("[data-testid=log] li[data-tag=resumed]").textContent()) ?? "", /resumed: 4 missed frames replayed/);
    await screenshot(player.page, "reconnect-tabletop");
    await file.proxy.close();
    file.proxy = undefined;
  }),
);
