// The room inspector (public/inspector.html) in Chromium: find a room in the list,
// see its live state and sockets, and travel back to an old seq: the state shown
// there equals the admin snapshot taken when the room was at that seq ([J1]).
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, api, browserPerFile, devToken, openUser, until, withUsers } from "./helpers.mjs";

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
      assert.equal(await page.locator("#log tr[data-seq]").count(), 5);

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
