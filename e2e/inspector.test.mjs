// The room inspector (public/inspector.html) in Chromium: find a room in the list,
// see its live state and sockets, and travel back to an old seq: the state shown
// there equals the admin snapshot taken when the room was at that seq ([J1]).
// A tabletop session's history: every log row has its input (chat and dice too),
// a chosen seq stays chosen while live updates arrive, a diff between two seqs,
// and the figures charted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, api, browserPerFile, devToken, openUser, screenshot, until, withUsers } from "./helpers.mjs";
import { SeedSocket, call, unique } from "./seedSocket.mjs";

const file = browserPerFile();

/** Opens a socket as `sub` and resolves after its snapshot (so its join has committed). */
async function member(roomId, sub) {
  const t = await devToken({ sub, name: sub.toUpperCase() });
  const ws = new WebSocket(`${BASE.replace(/^http/, "ws")}/ws/rooms/${roomId}?token=${t}`);
  await new Promise((resolve, reject) => {
    ws.addEventListener("message", resolve, { once: true });
    ws.addEventListener("error", () => reject(new Error(`socket for ${sub} failed`)), { once: true });
  });
  return ws;
}

test("inspector: the room list, live state and connections, and time travel to an old seq", { timeout: 90_000 }, () =>
  withUsers("inspector", async (users) => {
    const admin = await devToken({ sub: "e2e-admin", scope: "rooms:admin" });
    const publisher = await devToken({ sub: "e2e-svc", scope: "events:publish" });
    const roomId = `insp${crypto.randomUUID().slice(0, 8)}`;
    await api("POST", "/api/rooms", admin, { roomId, config: {} });
    const sockets = [];
    try {
      const ann = await member(roomId, "ann");
      sockets.push(ann);
      for (let i = 1; i <= 3; i++) await api("POST", `/api/rooms/${roomId}/events`, publisher, { type: "publish", data: { i } });
      const then = await api("GET", `/api/admin/rooms/${roomId}`, admin);
      assert.equal(then.seq, 3);
      // "At seq 3" is the state after the last input that left the head at 3, presence
      // included; so bob joins only after seq 4, and the snapshot above is the room at 3.
      await api("POST", `/api/rooms/${roomId}/events`, publisher, { type: "publish", data: { i: 4 } });
      sockets.push(await member(roomId, "bob"));
      await api("POST", `/api/rooms/${roomId}/events`, publisher, { type: "publish", data: { i: 5 } });
      const now = await api("GET", `/api/admin/rooms/${roomId}`, admin);
      assert.notDeepEqual(now.state, then.state, "the room moved on since the old snapshot");

      const op = await openUser(file.browser, `${BASE}/inspector.html`);
      users.push(op);
      const { page } = op;
      // The directory write happens after the create's reply: refresh until the room is listed.
      await until(async () => {
        await page.getByTestId("rooms-refresh").click();
        return (await page.locator(`[data-testid=rooms] li[data-name="${roomId}"]`).count()) > 0;
      }, "the room in the inspector's list");
      await page.locator(`[data-testid=rooms] li[data-name="${roomId}"]`).click();
      await page.waitForFunction((seq) => document.querySelector("[data-testid=room-state]")?.getAttribute("data-seq") === String(seq), now.seq);
      assert.deepEqual(JSON.parse(await page.getByTestId("room-state").textContent()), now.state);
      assert.equal(await page.locator("#connections tr").count(), 2);
      await until(async () => (await page.locator("#log tr[data-seq]").count()) === 5, "the log's five entries");

      await page.getByTestId("travel-at").fill(String(then.seq));
      await page.getByTestId("travel-go").click();
      await page.waitForFunction((seq) => document.querySelector("[data-testid=travel-state]")?.getAttribute("data-at") === String(seq), then.seq);
      assert.deepEqual(JSON.parse(await page.getByTestId("travel-state").textContent()), then.state, "the state at the old seq is the snapshot taken then");
      assert.match(await page.getByTestId("travel-meta").textContent(), /online then: ann$/);

      // Clicking a log row travels to that entry's seq.
      await page.locator(`#log tr[data-seq="${now.seq}"]`).click();
      await page.waitForFunction((seq) => document.querySelector("[data-testid=travel-state]")?.getAttribute("data-at") === String(seq), now.seq);
      assert.deepEqual(JSON.parse(await page.getByTestId("travel-state").textContent()), now.state);
      assert.deepEqual(op.problems, []);
    } finally {
      for (const ws of sockets) ws.close();
    }
  }),
);

test("inspector: a room whose journal retention cut says so (LOG_TRIMMED) instead of guessing", { timeout: 60_000 }, () =>
  withUsers("inspector-trimmed", async (users) => {
    const admin = await devToken({ sub: "e2e-admin", scope: "rooms:admin" });
    const publisher = await devToken({ sub: "e2e-svc", scope: "events:publish" });
    const roomId = `trim${crypto.randomUUID().slice(0, 8)}`;
    await api("POST", "/api/rooms", admin, { roomId, config: { limits: { logMaxEntries: 5 } } });
    for (let i = 0; i < 66; i++) await api("POST", `/api/rooms/${roomId}/events`, publisher, { type: "publish", data: { i } });
    const op = await openUser(file.browser, `${BASE}/inspector.html?room=${roomId}`);
    users.push(op);
    // The preselected room loads first (its head lands in the travel field); then ask for 66.
    await op.page.waitForFunction(() => document.querySelector("[data-testid=travel-at]")?.value === "66");
    await op.page.getByTestId("travel-at").fill("66");
    await op.page.getByTestId("travel-go").click();
    await op.page.getByTestId("travel-error").waitFor({ state: "visible" });
    assert.match(await op.page.getByTestId("travel-error").textContent(), /^LOG_TRIMMED: /);
  }),
);

test("inspector: a tabletop session: inputs for chat and dice, travel that stays put while the room moves on, a diff, charts", { timeout: 120_000 }, () =>
  withUsers("inspector-tabletop", async (users) => {
    const svc = await devToken({ sub: "e2e-tt-api", scope: "events:publish" });
    const sessionId = `insp${unique()}`;
    const dmId = `dm-${sessionId}`;
    const created = await call("POST", "/api/sessions", svc, { session_id: sessionId, campaign_id: 7, dm_user_id: dmId });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const sockets = [];
    try {
      const dm = await SeedSocket.open(`/ws/game/${sessionId}?token=${await devToken({ sub: dmId, name: "Dana" })}`);
      sockets.push(dm);
      await dm.waitType("room_joined");
      dm.send({ event: "chat_message", data: { message: "hello table" } });
      await dm.waitType("chat_message");
      dm.send({ event: "dice_roll", data: { formula: "1d20+5" } });
      await dm.waitType("dice_roll");
      dm.send({ event: "combat_update", data: { combat: { active: true, participants: [{ name: "Dana", initiative: 15 }, { name: "Goblin", initiative: 12, is_npc: true }] } } });
      await dm.waitType("combat_update");
      // Starting combat logs two frames (combat_update, then turn_change): ask the room for its head.
      const admin = await devToken({ sub: "e2e-admin", scope: "rooms:admin" });
      const chosen = (await api("GET", `/api/admin/rooms/tabletop:${sessionId}`, admin)).seq;
      assert.ok(chosen >= 4, `chat, dice and combat are logged (head ${chosen})`);

      const op = await openUser(file.browser, `${BASE}/inspector.html?room=tabletop:${sessionId}`);
      users.push(op);
      const { page } = op;
      const liveSeq = () => page.getByTestId("room-state").getAttribute("data-seq").then(Number);
      await until(async () => (await liveSeq()) === chosen, "the live state at the head");
      assert.equal(await page.getByTestId("live").isChecked(), true, "follow live is on by default");

      // Every logged frame has the input behind it, chat and dice included.
      const rowOf = (event) => page.locator("#log tr", { has: page.locator("code", { hasText: `"event":"${event}"` }) });
      await rowOf("dice_roll").waitFor();
      assert.match(await rowOf("chat_message").getByTestId("log-input").textContent(), new RegExp(`^socket by ${dmId}: .*"type":"chat_message".*"message":"hello table"`));
      assert.match(await rowOf("dice_roll").getByTestId("log-input").textContent(), new RegExp(`^socket by ${dmId}: .*"type":"dice_roll".*"formula":"1d20\\+5"`));
      for (const cell of await page.locator("#log tr").getByTestId("log-input").allTextContents()) assert.notEqual(cell.trim(), "", "an empty input cell");

      // Travel to the chosen seq with follow live on: that turns it off, visibly.
      await page.getByTestId("travel-at").fill(String(chosen - 1));
      await page.getByTestId("travel-at").press("Enter");
      const at = () => page.getByTestId("travel-state").getAttribute("data-at").then(Number);
      await until(async () => (await at()) === chosen - 1 && (await page.getByTestId("travel-state").getAttribute("data-live")) === "false", "the travelled state");
      assert.equal(await page.getByTestId("live").isChecked(), false, "travelling turned follow live off");
      assert.ok(await page.getByTestId("follow-note").isVisible(), "a note says follow live went off");
      assert.match(await page.getByTestId("follow-note").textContent(), new RegExp(`^Follow live is off: this stays at seq ${chosen - 1} `));

      // The room moves on: each chat is a new head the page picks up on a refresh. The travel
      // pane keeps the chosen seq through every one, while the charts gather samples.
      let head = chosen;
      await until(
        async () => {
          dm.send({ event: "chat_message", data: { message: `tick ${head}` } });
          head = (await dm.waitType("chat_message", (f) => f.data.message === `tick ${head}`)).seq;
          await until(async () => (await liveSeq()) === head, `a live update to seq ${head}`);
          assert.equal(await at(), chosen - 1, "the travel pane stayed on the chosen seq");
          assert.match(await page.getByTestId("travel-meta").textContent(), new RegExp(`^seq ${chosen - 1} of ${head}:`));
          assert.equal(await page.getByTestId("travel-at").inputValue(), String(chosen - 1));
          const points = await Promise.all(["frames", "bytes", "latency"].map((c) => page.getByTestId(`chart-${c}`).getAttribute("data-points").then(Number)));
          return points.every((n) => n >= 3);
        },
        "three samples on every chart",
        30_000,
      );
      for (const c of ["frames", "bytes", "latency"]) {
        const box = await page.getByTestId(`chart-${c}`).locator("canvas").boundingBox();
        assert.ok(box && box.width > 100 && box.height > 50, `the ${c} chart is drawn (${JSON.stringify(box)})`);
      }
      await screenshot(page, "inspector");

      // After the chosen seq the DM moves the turn and a player joins: the diff names those paths.
      const pia = await SeedSocket.open(`/ws/game/${sessionId}?token=${await devToken({ sub: `pia-${sessionId}`, name: "Pia" })}`);
      sockets.push(pia);
      await pia.waitType("room_joined");
      dm.send({ event: "turn_change", data: { turn: "next" } });
      const before = head;
      head = (await dm.waitType("turn_change", (f) => f.seq > before)).seq;
      await until(async () => (await liveSeq()) === head, "the live view at the turn change");
      assert.equal(await page.getByTestId("diff-a").inputValue(), String(chosen - 1), "the diff starts from the travelled seq");
      assert.equal(await page.getByTestId("diff-b").inputValue(), String(head), "and ends at the head");
      await page.getByTestId("diff-go").click();
      await page.locator("[data-testid=diff] li").first().waitFor();
      const changes = await page.$$eval("[data-testid=diff] li", (lis) => lis.map((li) => ({ type: li.dataset.type, path: li.dataset.path, text: li.textContent })));
      assert.ok(changes.some((c) => c.type === "changed" && c.path === "combat.current_turn"), `the turn's change in ${JSON.stringify(changes)}`);
      assert.ok(changes.some((c) => c.type === "changed" && c.path === "player_count"), "the player count's change");
      assert.ok(changes.some((c) => c.type === "added" && /^players\.1(\.|$)/.test(c.path)), "Pia's arrival");
      assert.match(await page.getByTestId("diff-summary").textContent(), new RegExp(`^seq ${chosen - 1} → seq ${head}: \\d+ added, \\d+ removed, \\d+ changed$`));
      await page.getByTestId("diff").scrollIntoViewIfNeeded();
      await screenshot(page, "inspector-diff");
      assert.deepEqual(op.problems, []);
    } finally {
      for (const s of sockets) s.close();
    }
  }),
);
