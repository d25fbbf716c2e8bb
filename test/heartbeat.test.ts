import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { joinAs, newRoom, stubFor } from "./helpers/rooms.ts";
import { open } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("heartbeats and the sweep", () => {
  it("answers `ping` with `pong` (the runtime's auto-response)", async () => {
    const roomId = await newRoom();
    const s = await joinAs(roomId, "u");
    await s.socket.drain();
    s.socket.send("ping");
    expect(await s.socket.next()).toEqual({ text: "pong" });
  });

  it("closes silent sockets with 4000 and keeps pinging ones; running the alarm twice is harmless", async () => {
    const roomId = await newRoom({ limits: { idleTimeoutMs: 400 } });
    const quiet = await joinAs(roomId, "quiet");
    const chatty = await joinAs(roomId, "chatty");
    for (let i = 0; i < 8; i++) {
      chatty.socket.send("ping");
      await sleep(100);
    }
    // The runtime may already have fired the alarm by itself; either way one more sweep runs now.
    await runDurableObjectAlarm(stubFor(roomId));
    expect(await quiet.socket.waitClosed()).toEqual({ code: 4000, reason: "Idle timeout" });
    expect(chatty.socket.closed).toBeNull();
    expect(await chatty.socket.nextMatching((f) => f.type === "presence.leave")).toMatchObject({ user: { id: "quiet" } });
    // At-least-once alarms: a second sweep changes nothing and announces nothing twice.
    await runDurableObjectAlarm(stubFor(roomId));
    chatty.socket.send("ping");
    expect((await chatty.socket.drain()).filter((f) => f.type === "presence.leave")).toEqual([]);
    expect(chatty.socket.closed).toBeNull();
  });

  it("closes a socket whose token expired with 4001", async () => {
    const roomId = await newRoom();
    const s = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "short" }, { ttlSec: 1 })}`);
    await s.next();
    await sleep(1100);
    await runDurableObjectAlarm(stubFor(roomId));
    expect(await s.waitClosed()).toEqual({ code: 4001, reason: "Token expired" });
  });
});
