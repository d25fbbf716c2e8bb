import { SELF, evictDurableObject, env } from "cloudflare:test";
import { it, expect } from "vitest";
it("echo", async () => {
  const res = await SELF.fetch("http://x/ws", { headers: { Upgrade: "websocket" } });
  const ws = res.webSocket!; ws.accept();
  const got = new Promise((r) => ws.addEventListener("message", (e) => r(e.data)));
  ws.send("hi");
  expect(await got).toBe("echo:hi");
  await evictDurableObject((env as any).ROOMS.get((env as any).ROOMS.idFromName("x")));
  const got2 = new Promise((r) => ws.addEventListener("message", (e) => r(e.data)));
  ws.send("again");
  expect(await got2).toBe("echo:again");
});
