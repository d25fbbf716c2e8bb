import { describe, expect, it } from "vitest";
import { eventCodec } from "../src/protocol/eventCodec.ts";
import { joinAs, newRoom } from "./helpers/rooms.ts";
import type { Frame, TestSocket } from "./helpers/socket.ts";

/** The elements of every wire frame, in order; `wire` counts the frames themselves. */
function elements(socket: TestSocket): { frames: Frame[]; wire: number; batches: number[] } {
  const frames: Frame[] = [];
  const batches: number[] = [];
  for (const f of socket.frames) {
    if (f.type === "batch") {
      batches.push((f.frames as Frame[]).length);
      frames.push(...(f.frames as Frame[]));
    } else frames.push(f);
  }
  return { frames, wire: socket.frames.length, batches };
}

async function until(cond: () => boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const publishes = (frames: Frame[]) => frames.filter((f) => f.type === "publish");

/** Real sockets and storage in workerd: what batch=1 changes on the wire, and what it doesn't ([B1]). */
describe("[B1] batching over real sockets", () => {
  it("a burst reaches a batch=1 socket in fewer wire frames, every event once, in seq order; a plain socket gets one frame per event", async () => {
    const roomId = await newRoom({ limits: { rateBurst: 100 } });
    const batched = (await joinAs(roomId, "watch", "&batch=1")).socket;
    const plain = (await joinAs(roomId, "plain")).socket;
    const sender = (await joinAs(roomId, "send")).socket;
    const N = 40;
    // One burst: the object takes them one after another, far inside one 50 ms window.
    for (let i = 0; i < N; i++) sender.send({ type: "publish", data: { i } });
    await until(() => publishes(elements(batched).frames).length >= N, "the batched socket's events");
    await until(() => publishes(plain.frames).length >= N, "the plain socket's events");
    const got = elements(batched);
    const seqs = publishes(got.frames).map((f) => f.seq as number);
    expect(seqs).toEqual(publishes(plain.frames).map((f) => f.seq));
    expect(seqs).toEqual(Array.from({ length: N }, (_, i) => seqs[0]! + i));
    expect(publishes(got.frames).map((f) => (f.data as { i: number }).i)).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(got.batches.length).toBeGreaterThan(0);
    expect(got.wire).toBeLessThan(plain.frames.length);
    expect(plain.frames.some((f) => f.type === "batch")).toBe(false);
    for (const s of [batched, plain, sender]) s.close();
  });

  it("a resume from a seq in the middle of a batch replays exactly what followed it, then recovered", async () => {
    const roomId = await newRoom({ limits: { rateBurst: 100 } });
    const first = await joinAs(roomId, "watch", "&batch=1");
    const epoch = first.snapshot.epoch as string;
    const sender = (await joinAs(roomId, "send")).socket;
    for (let i = 0; i < 30; i++) sender.send({ type: "publish", data: { i } });
    await until(() => publishes(elements(first.socket).frames).length >= 30, "30 events");
    const got = publishes(elements(first.socket).frames);
    first.socket.close();
    // Stop reading half way through what arrived (inside a batch, as a tab that closed would).
    const cut = got[12]!.seq as number;
    const again = await joinAs(roomId, "watch", `&batch=1&since=${cut}&epoch=${epoch}`);
    const resumed: Frame[] = [again.snapshot];
    await until(() => {
      resumed.length = 0;
      for (const f of again.socket.frames) resumed.push(...(f.type === "batch" ? (f.frames as Frame[]) : [f]));
      return resumed.some((f) => f.recovered === true);
    }, "the recovered marker");
    const marker = resumed.findIndex((f) => f.recovered === true);
    expect(publishes(resumed.slice(0, marker)).map((f) => f.seq)).toEqual(got.slice(13).map((f) => f.seq));
    expect(resumed.some((f) => f.type === "snapshot")).toBe(false);
    again.socket.close();
    sender.close();
  });

  it("the event family wraps a batch in data.frames (seed 002's shape), elements untouched", () => {
    const codec = eventCodec("tabletop");
    const a = codec.encode({ event: "chat", data: { text: "hi" } }, { seq: 1, epoch: "e" });
    const b = codec.ack("c1", { seq: 1 });
    expect(JSON.parse(codec.batch([a, b]))).toEqual({ event: "batch", data: { frames: [JSON.parse(a), JSON.parse(b)] } });
  });
});
