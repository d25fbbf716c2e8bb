import { describe, expect, it } from "vitest";
import type { PushAck, PushBatch } from "../rpc.ts";
import { PushChannel, RIDE_ACK_MS } from "./pushChannel.ts";

/** A channel whose calls, timers and background work the test drives by hand. */
function channel() {
  const calls: PushBatch[] = [];
  const timers: { ms: number; fire: () => void }[] = [];
  const lost: string[] = [];
  let answer: (batch: PushBatch) => PushAck | Error | Promise<PushAck> = () => ({ ok: true });
  const ch = new PushChannel({
    source: "room",
    incarnation: "inc1",
    deliver: async (_gateway, batch) => {
      calls.push(structuredClone(batch));
      const a = await answer(batch);
      if (a instanceof Error) throw a;
      return a;
    },
    keepAlive: () => undefined,
    lost: (gw) => void lost.push(gw),
    wait: (ms) => new Promise<void>((fire) => timers.push({ ms, fire })),
  });
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  return { ch, calls, timers, lost, settle, setAnswer: (f: typeof answer) => (answer = f) };
}

const frames = (b: PushBatch | undefined) => b?.items.flatMap((i) => (i.t === "send" ? [i.frame] : []));

describe("PushChannel ([S1])", () => {
  it("what an input causes for its own gateway rides on the answer: no push call", async () => {
    const { ch, calls, settle } = channel();
    ch.hold("gw0");
    ch.send("gw0", "c1", "F1");
    ch.send("gw0", "c2", "F1");
    ch.send("gw1", "c3", "F1");
    await settle();
    const riding = ch.ride("gw0");
    await settle();
    expect(riding).toMatchObject({ source: "room", incarnation: "inc1", gateway: "gw0", items: [{ t: "send", conns: ["c1", "c2"], frame: "F1" }] });
    // The other gateway's frames went as a call at once; the riding push made none.
    expect(calls.map((b) => b.gateway)).toEqual(["gw1"]);
    expect(ch.idle()).toBe(false);
    // The gateway's next input says it applied it: nothing more is sent.
    ch.applied("gw0", { incarnation: "inc1", push: riding!.push });
    expect(ch.idle()).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it("a riding push not acknowledged in time is sent again as a call with the same number", async () => {
    const { ch, calls, timers, settle } = channel();
    ch.hold("gw0");
    ch.send("gw0", "c1", "F1");
    const riding = ch.ride("gw0")!;
    expect(timers.map((t) => t.ms)).toEqual([RIDE_ACK_MS]);
    // An ack from another incarnation, or for an older push, doesn't cover it.
    ch.applied("gw0", { incarnation: "other", push: riding.push });
    ch.applied("gw0", { incarnation: "inc1", push: riding.push - 1 });
    // The first sweep finds it unacknowledged, the second sends it: RIDE_ACK_MS to twice that.
    timers[0]!.fire();
    await settle();
    expect(calls).toEqual([]);
    expect(timers.map((t) => t.ms)).toEqual([RIDE_ACK_MS, RIDE_ACK_MS]);
    timers[1]!.fire();
    await settle();
    expect(calls).toEqual([riding]);
    expect(ch.idle()).toBe(true);
  });

  it("one ack timer for the channel, not one per riding push; none left once every ride is acknowledged", async () => {
    const { ch, calls, timers, settle } = channel();
    const rides = [];
    for (let i = 0; i < 5; i++) {
      const gw = `gw${i % 2}`;
      ch.hold(gw);
      ch.send(gw, "c1", `F${i}`);
      const riding = ch.ride(gw)!;
      rides.push(riding);
      ch.applied(gw, { incarnation: "inc1", push: riding.push });
    }
    expect(rides.map((r) => frames(r))).toEqual([["F0"], ["F1"], ["F2"], ["F3"], ["F4"]]);
    expect(timers).toHaveLength(1);
    timers[0]!.fire();
    await settle();
    // Nothing was riding: no resend, and the sweep doesn't set itself again.
    expect(timers).toHaveLength(1);
    expect(calls).toEqual([]);
    expect(ch.idle()).toBe(true);
  });

  it("items behind an unacknowledged riding push send it again first, then themselves, in order, in one call", async () => {
    const { ch, calls, settle } = channel();
    ch.hold("gw0");
    ch.send("gw0", "c1", "F1");
    const riding = ch.ride("gw0")!;
    // An input from another gateway sends this one more frames.
    ch.hold("gw1");
    ch.send("gw0", "c1", "F2");
    await settle();
    ch.ride("gw1");
    await settle();
    // One call: the riding push again (`prior`, applied first unless it was), then the new frames.
    expect(calls.map((b) => [b.prior?.push, frames(b.prior), b.push, frames(b)])).toEqual([[riding.push, ["F1"], riding.push + 1, ["F2"]]]);
    // A late ack of the riding push changes nothing.
    ch.applied("gw0", { incarnation: "inc1", push: riding.push });
    await settle();
    expect(calls).toHaveLength(1);
    expect(ch.idle()).toBe(true);
  });

  it("an input from a gateway that hasn't applied the riding push: it goes again in a call, the new frames after it", async () => {
    const { ch, calls, settle } = channel();
    ch.hold("gw0");
    ch.send("gw0", "c1", "F1");
    const first = ch.ride("gw0")!;
    // The answer was lost: the gateway retries its input, saying it applied nothing of ours.
    ch.applied("gw0", undefined);
    ch.hold("gw0");
    ch.send("gw0", "c1", "F2");
    expect(ch.ride("gw0")).toBeUndefined();
    await settle();
    expect(calls.map((b) => [b.prior?.push, frames(b.prior), b.push, frames(b)])).toEqual([[first.push, ["F1"], first.push + 1, ["F2"]]]);
  });

  it("while a push call is in flight, an input's frames wait for the next call (one push in flight per gateway)", async () => {
    const { ch, calls, settle, setAnswer } = channel();
    let release!: () => void;
    const answered = new Promise<void>((r) => (release = r));
    setAnswer(() => answered.then(() => ({ ok: true as const })));
    ch.send("gw0", "c1", "F1");
    await settle();
    expect(calls).toHaveLength(1);
    ch.hold("gw0");
    ch.send("gw0", "c1", "F2");
    expect(ch.ride("gw0")).toBeUndefined();
    await settle();
    expect(calls).toHaveLength(1);
    release();
    await settle();
    expect(calls.map((b) => frames(b))).toEqual([["F1"], ["F2"]]);
    expect(ch.idle()).toBe(true);
  });

  it("a gateway that keeps refusing is given up", async () => {
    const { ch, lost, settle, setAnswer } = channel();
    setAnswer(() => ({ ok: false, code: "NOT_THIS_GATEWAY", message: "no" }));
    ch.send("gw0", "c1", "F1");
    await settle();
    expect(lost).toEqual(["gw0"]);
    expect(ch.idle()).toBe(true);
  });
});
