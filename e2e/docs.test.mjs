// The API reference page (/docs) in Chromium: Scalar renders /openapi.json from the Worker's own
// assets (no CDN, no font host: every request stays on this origin, so it works offline), and the
// operations are there: a section per operation with its method and path, summary and answers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ARTIFACTS, BASE, WAIT_MS, browserPerFile, openUser, withUsers } from "./helpers.mjs";

const file = browserPerFile();
/** A hang guard for the first render: the renderer is 3.5 MB of JS, slow to start on a loaded 2-core machine. */
const RENDER_MS = 60_000;

test("docs: /docs renders every operation of /openapi.json, offline", { timeout: 240_000 }, () =>
  withUsers("docs", async (users) => {
    const doc = await (await fetch(`${BASE}/openapi.json`, { signal: AbortSignal.timeout(WAIT_MS) })).json();
    const elsewhere = [];
    const user = await openUser(file.browser, "about:blank");
    users.push(user);
    const { page, problems } = user;
    const failed = [];
    page.on("request", (req) => {
      if (!req.url().startsWith(BASE) && !req.url().startsWith("data:") && !req.url().startsWith("blob:")) elsewhere.push(req.url());
    });
    // The browser's own /favicon.ico guess is the only request allowed to miss (the page names no icon).
    page.on("response", (res) => {
      if (res.status() >= 400 && new URL(res.url()).pathname !== "/favicon.ico") failed.push(`${res.status()} ${res.url()}`);
    });
    await page.goto(`${BASE}/docs`);

    // The document's title, then each group's list of its operations: every method and path of /openapi.json.
    await page.getByText("Realtime rooms on Cloudflare Workers").first().waitFor({ timeout: RENDER_MS });
    await page.waitForFunction(() => /POST\s*\/api\/teams/.test(document.body.innerText), null, { timeout: RENDER_MS });
    const text = (await page.evaluate(() => document.body.innerText)).replace(/\s+/g, " ");
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    assert.ok(operations.length >= 40, `only ${operations.length} operations in /openapi.json`);
    assert.deepEqual(operations.filter((op) => !text.includes(op)), [], "operations the page does not list");
    // One operation opened: its summary, its parameters and its answers with their codes.
    await page.locator("a.endpoint", { has: page.locator(".endpoint-path", { hasText: /^\/api\/teams$/ }) }).first().click();
    await page.getByText(doc.paths["/api/teams"].post.summary).first().waitFor({ timeout: WAIT_MS });
    await page.getByText("QUEST_NOT_FOUND").first().waitFor({ timeout: WAIT_MS });

    // The viewport, at the operation just opened (the whole page is tens of thousands of pixels tall).
    await page.screenshot({ path: `${ARTIFACTS}docs.png` });
    assert.deepEqual(elsewhere, [], "requests that left the Worker's origin");
    assert.deepEqual(failed, [], "requests that failed");
    // Console lines about a failed load are judged by the responses above.
    assert.deepEqual(problems.filter((p) => !p.startsWith("console: Failed to load resource")), [], "page errors");
  }),
);
