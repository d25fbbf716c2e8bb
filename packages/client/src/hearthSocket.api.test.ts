import { describe, expect, it } from "vitest";
import { createHarness } from "./testing/createHarness.js";

describe("HearthSocket: the partysocket-style API (startClosed/connect, once/off, ready)", () => {
  it("startClosed opens no socket and stays idle until connect(); connect() twice opens one", async () => {
    const h = createHarness({ startClosed: true });
    await h.settle();
    expect(h.sockets).toHaveLength(0);
    expect(h.client.state).toBe("idle");
    h.client.send({ type: "early" }); // queued while idle, sent once live
    h.client.connect();
    h.client.connect();
    const socket = await h.openLatest();
    expect(h.sockets).toHaveLength(1);
    expect(h.client.state).toBe("live");
    expect(socket.sentFrames).toContainEqual({ type: "early" });
    h.client.close();
    expect(() => h.client.connect()).toThrow(expect.objectContaining({ code: "CLOSED" }));
  });

  it("ready() resolves when live (and at once when already live), rejects when closed first", async () => {
    const h = createHarness();
    let isReady = false;
    const ready = h.client.ready().then(() => (isReady = true));
    await h.settle();
    expect(isReady).toBe(false);
    await h.openLatest();
    await ready;
    expect(isReady).toBe(true);
    await expect(h.client.ready()).resolves.toBeUndefined();

    const other = createHarness({ startClosed: true });
    const never = other.client.ready();
    other.client.close();
    await expect(never).rejects.toMatchObject({ code: "CLOSED" });
    await expect(other.client.ready()).rejects.toMatchObject({ code: "CLOSED" });
  });

  it("once() hears one event; off() removes on() and once() listeners", async () => {
    const h = createHarness();
    const onceSeen: unknown[] = [];
    const onSeen: unknown[] = [];
    const cancelled: unknown[] = [];
    h.client.once("frame", (f) => onceSeen.push(f));
    const listener = (f: unknown) => onSeen.push(f);
    h.client.on("frame", listener);
    const cancelledListener = (f: unknown) => cancelled.push(f);
    h.client.once("frame", cancelledListener);
    h.client.off("frame", cancelledListener);
    const socket = await h.openLatest();
    socket.receive({ type: "publish", seq: 1, epoch: "e0" });
    h.client.off("frame", listener);
    socket.receive({ type: "publish", seq: 2, epoch: "e0" });
    expect(onceSeen).toHaveLength(1);
    expect(onSeen).toHaveLength(1);
    expect(cancelled).toHaveLength(0);
  });

  it("readyState follows the WebSocket numbers; addEventListener/removeEventListener alias on/off", async () => {
    const h = createHarness({ startClosed: true });
    expect(h.client.readyState).toBe(3);
    const seen: unknown[] = [];
    const onceSeen: unknown[] = [];
    const listener = (f: unknown) => seen.push(f);
    h.client.addEventListener("frame", listener);
    h.client.addEventListener("frame", (f) => onceSeen.push(f), { once: true });
    h.client.connect();
    expect(h.client.readyState).toBe(0);
    const socket = await h.openLatest();
    expect(h.client.readyState).toBe(1);
    socket.receive({ type: "publish", seq: 1, epoch: "e0" });
    h.client.removeEventListener("frame", listener);
    socket.receive({ type: "publish", seq: 2, epoch: "e0" });
    expect(seen).toHaveLength(1);
    expect(onceSeen).toHaveLength(1);
    socket.serverClose(1006);
    expect(h.client.readyState).toBe(0);
    h.client.close();
    expect(h.client.readyState).toBe(3);
  });
});
