// useHearth (@hearth/client/react, the built package) mounted by React in Chromium against the real
// `wrangler dev`: StrictMode's mount/unmount/mount keeps one socket on the server, frames reach the
// component's state in order, and an unmount closes the socket (the room's admin view says so).
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { BASE, WAIT_MS, api, browserPerFile, devToken, until, withUsers } from "./helpers.mjs";

const file = browserPerFile();

/** The fixture app with React bundled in (development build: StrictMode's double mount is on). */
async function bundle() {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./fixtures/reactChat.jsx", import.meta.url))],
    bundle: true,
    write: false,
    format: "iife",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"development"' },
    logLevel: "warning",
  });
  return result.outputFiles[0].text;
}

test("react: useHearth in StrictMode holds one socket, renders every publish in order, and closes on unmount", { timeout: 90_000 }, () =>
  withUsers("react", async (users) => {
    const admin = await devToken({ sub: "e2e-react-admin", scope: "rooms:admin" });
    const publisher = await devToken({ sub: "e2e-react-svc", scope: "events:publish" });
    const member = await devToken({ sub: "e2e-react-ann", name: "Ann" });
    const roomId = `react${crypto.randomUUID().slice(0, 8)}`;
    await api("POST", "/api/rooms", admin, { roomId, config: {} });
    const sockets = async () => (await api("GET", `/api/admin/rooms/${roomId}`, admin)).connections?.total;

    // A user on the Worker's origin (sockets from it pass the origin allowlist). /health is JSON, so
    // Chromium asks for /favicon.ico beside it: answered before the page loads, not a 404.
    const context = await file.browser.newContext();
    context.setDefaultTimeout(WAIT_MS);
    await context.route("**/favicon.ico", (route) => route.fulfill({ status: 204 }));
    const page = await context.newPage();
    const op = { page, context, problems: [] };
    users.push(op);
    page.on("pageerror", (error) => op.problems.push(`pageerror: ${error.message}`));
    page.on("console", (msg) => msg.type() === "error" && op.problems.push(`console: ${msg.text()}`));
    await page.goto(`${BASE}/health`);
    await page.setContent('<link rel="icon" href="data:,"><div id="app"></div>');
    await page.addScriptTag({ content: await bundle() });
    await page.evaluate(([url, token]) => window.hearthMount(url, token), [`${BASE.replace(/^http/, "ws")}/ws/rooms/${roomId}`, member]);
    await page.locator("[data-testid=room][data-state=live]").waitFor();
    // StrictMode mounted, unmounted and mounted the component: still one socket in the room.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await sockets(), 1);

    const seqs = [];
    for (let i = 1; i <= 3; i++) seqs.push((await api("POST", `/api/rooms/${roomId}/events`, publisher, { type: "publish", data: { i } })).seq);
    await page.locator(`[data-testid=room][data-count="3"]`).waitFor();
    assert.equal(await page.getByTestId("room").textContent(), `live: ${seqs.join(",")}`);

    await page.evaluate(() => window.hearthUnmount());
    await until(async () => (await sockets()) === 0, "the socket closed after unmount");
    assert.deepEqual(op.problems, []);
  }),
);
