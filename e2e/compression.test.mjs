// [C8] What real clients negotiate through `wrangler dev`: Chromium's WebSocket and Node's built-in
// one both offer permessage-deflate. The games lobby answers with each frame compressed on its own
// (`server_no_context_takeover`); a campaign socket keeps the runtime's answer (a window per
// socket, its frames being whole documents that change a little). Either way the frames decode.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, browserPerFile, devToken } from "./helpers.mjs";
import { call, unique, WS_BASE } from "./seedSocket.mjs";

const file = browserPerFile();
const PER_MESSAGE = "permessage-deflate; server_no_context_takeover";

/** Opens `url` in the page, sends `sends`, and reads `frames` frames: the negotiated extensions and the frames' types. */
async function inBrowser(page, url, sends, frames) {
  return page.evaluate(
    ({ url, sends, frames }) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        const types = [];
        ws.onopen = () => sends.forEach((s) => ws.send(JSON.stringify(s)));
        ws.onmessage = (e) => {
          types.push(JSON.parse(e.data).type);
          if (types.length === frames) {
            resolve({ extensions: ws.extensions, types });
            ws.close();
          }
        };
        ws.onclose = (e) => reject(new Error(`closed ${e.code} after ${types.length} frames`));
      }),
    { url, sends, frames },
  );
}

test("games: Chromium gets per-message deflate, and three compressed room_list frames in a row decode", { timeout: 60_000 }, async () => {
  const page = await file.browser.newPage();
  await page.goto(BASE);
  const token = await devToken({ sub: String(1_000_000 + Math.floor(Math.random() * 8_000_000)), name: "Zed" });
  const list = { type: "list_rooms" };
  const got = await inBrowser(page, `${WS_BASE}/ws/games?lobby=${unique()}&token=${token}`, [list, list, list], 4);
  assert.equal(got.extensions, PER_MESSAGE);
  assert.deepEqual(got.types, ["snapshot", "room_list", "room_list", "room_list"]);
  await page.close();
});

test("campaign: Chromium keeps a window per socket (no server_no_context_takeover)", { timeout: 60_000 }, async () => {
  const page = await file.browser.newPage();
  await page.goto(BASE);
  const dm = `dm-${unique()}`;
  const player = `p-${unique()}`;
  const campaign_id = `c-${unique()}`;
  const made = await call("POST", "/api/campaigns", await devToken({ sub: dm, name: "Dana" }), { campaign_id, dm_user_id: dm, players: [player] });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  const got = await inBrowser(page, `${WS_BASE}/ws/campaign/player?campaign=${campaign_id}&token=${await devToken({ sub: player, name: "Ann" })}`, [], 1);
  assert.match(got.extensions, /^permessage-deflate/);
  assert.doesNotMatch(got.extensions, /server_no_context_takeover/);
  assert.deepEqual(got.types, ["snapshot"]);
  await page.close();
});

test("games: Node's built-in WebSocket negotiates the same and reads its frames", { timeout: 30_000 }, async () => {
  const token = await devToken({ sub: String(1_000_000 + Math.floor(Math.random() * 8_000_000)), name: "Yan" });
  const ws = new WebSocket(`${WS_BASE}/ws/games?lobby=${unique()}&token=${token}`);
  const types = [];
  const extensions = await new Promise((resolve, reject) => {
    ws.addEventListener("open", () => ws.send(JSON.stringify({ type: "list_rooms" })));
    ws.addEventListener("message", (e) => {
      types.push(JSON.parse(e.data).type);
      if (types.length === 2) resolve(ws.extensions);
    });
    ws.addEventListener("close", (e) => reject(new Error(`closed ${e.code}`)));
  });
  ws.close();
  assert.equal(extensions, PER_MESSAGE);
  assert.deepEqual(types, ["snapshot", "room_list"]);
});
