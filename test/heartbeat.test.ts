import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { joinAs, newRoom, stubFor } from "./helpers/rooms.ts";
import { open } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until the wall clock reaches `at` (the runtime's clock, which the object's alarm follows). */
const until = async (at: number) => {
  while (Date.now() < at) await sleep(Math.min(50, at - Date.now()));
};

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

  // What the runtime does when an object is busy past its sweep's due time. In workerd (local) the
  // talker's queued frame is handled before the late sweep, so this passes with or without
  // sweep.ts judging silence as of the due time; src/room/sweep.test.ts pins that rule itself.
  it("a busy object's late sweep keeps a socket whose frame arrived on time, and still closes the silent one", async () => {
    const roomId = await newRoom({ limits: { idleTimeoutMs: 2_000 } });
    const quiet = await joinAs(roomId, "quiet");
    const talker = await joinAs(roomId, "talker");
    const stub = stubFor(roomId);
    const due = await runInDurableObject(stub, (_o, state) => state.storage.getAlarm());
    expect(due).not.toBeNull();
    // The talker speaks 1 s before the sweep is due (its reply shows the room handled it).
    await until(due! - 1_000);
    talker.socket.send(JSON.stringify({ type: "ping" }));
    await talker.socket.nextMatching((f) => f.type === "pong");
    // Then the object is busy from before the due time until 1.5 s after it. Its sweep is asked for
    // while it is busy (0.2 s after the due time), and the talker's next frame (0.3 s after it)
    // queues behind that sweep: the sweep runs 1.5 s late, before the talker's frame.
    const busy = runInDurableObject(stub, (_o, state) => state.blockConcurrencyWhile(() => until(due! + 1_500)));
    await until(due! + 200);
    const swept = runDurableObjectAlarm(stub);
    await until(due! + 300);
    talker.socket.send(JSON.stringify({ type: "ping" }));
    await busy;
    await swept;
    // As of `due` the quiet socket was silent 2 s and more; the talker 1 s (2.5 s as of when the sweep ran).
    expect(await quiet.socket.waitClosed(5_000)).toEqual({ code: 4000, reason: "Idle timeout" });
    await talker.socket.nextMatching((f) => f.type === "pong");
    expect(talker.socket.closed).toBeNull();
  });
});
