import { describe, expect, it } from "vitest";
import { testCtx } from "../../core/testCtx.ts";
import type { Actor, KindCtx } from "../../core/kind.ts";
import { relayKind, type RelayState } from "./relayKind.ts";

const actor = (userId: string, role = "member"): Actor => ({ userId, name: userId.toUpperCase(), role, service: false, scopes: [] });
const ctx = (a: Actor, online: Actor[] = [], config: Record<string, unknown> = {}): KindCtx => testCtx({ actor: a, roomId: "r", now: 1000, config, online });

describe("relayKind", () => {
  const s0 = relayKind.init({}, testCtx({ now: 0, roomId: "r" }));

  it("publishes to everyone with the sender and time", () => {
    const r = relayKind.apply(s0, { type: "publish", data: { n: 1 } }, ctx(actor("ann")));
    expect(r).toMatchObject({ ok: true, state: { published: 1 }, result: { published: 1 } });
    if (!r.ok) return;
    expect(r.emits).toEqual([{ body: { type: "publish", data: { n: 1 }, from: "ann", timestamp: 1000 } }]);
  });

  it("refuses viewers and leaves state alone", () => {
    const r = relayKind.apply(s0, { type: "publish", data: 1 }, ctx(actor("v", "viewer")));
    expect(r).toMatchObject({ ok: false, code: "FORBIDDEN", status: 403 });
  });

  it("[H11] refuses a viewer's whisper with FORBIDDEN, before looking at who is present", () => {
    for (const online of [[actor("bob")], []]) {
      expect(relayKind.apply(s0, { type: "whisper", to: "bob", data: "psst" }, ctx(actor("v", "viewer"), online))).toMatchObject({ ok: false, code: "FORBIDDEN", status: 403 });
    }
  });

  it("whispers only to the target and the sender, and only to someone present", () => {
    const r = relayKind.apply(s0, { type: "whisper", to: "bob", data: "psst" }, ctx(actor("ann"), [actor("bob")]));
    expect(r.ok && r.emits[0]?.to).toEqual(["bob", "ann"]);
    expect(relayKind.apply(s0, { type: "whisper", to: "bob", data: "x" }, ctx(actor("ann")))).toMatchObject({ code: "NOT_PRESENT" });
  });

  it("announces presence without touching state, and lists who is online from the core", () => {
    const j = relayKind.sockets!.presence!(s0, { kind: "join", actor: actor("ann"), params: {} }, ctx(actor("ann")));
    expect(j).toMatchObject({ ok: true, state: s0, emits: [{ body: { type: "presence.join", user: { id: "ann", name: "ANN" } } }] });
    expect(relayKind.view(s0, actor("x"), testCtx({ online: [actor("ann")] }))).toEqual({ published: 0, onlineCount: 1, online: [{ id: "ann", name: "ANN" }] });
    const crowd = Array.from({ length: 250 }, (_, i) => actor(`u${i}`));
    const big = relayKind.view(s0, actor("x"), testCtx({ online: crowd })) as { onlineCount: number; online: unknown[] };
    expect([big.onlineCount, big.online.length]).toEqual([250, 100]);
    const l = relayKind.sockets!.presence!(s0, { kind: "leave", actor: actor("ann"), params: {} }, ctx(actor("ann")));
    expect(l.ok && l.emits[0]?.body.type).toBe("presence.leave");
  });

  it("rejects commands without data", () => {
    expect(relayKind.command.safeParse({ type: "publish" }).success).toBe(false);
    expect(relayKind.command.safeParse({ type: "nope" }).success).toBe(false);
  });
});

describe("relayKind presence: false", () => {
  it("announces nothing", () => {
    const s0 = relayKind.init({ presence: false }, testCtx({ now: 0, roomId: "r" }));
    const j = relayKind.sockets!.presence!(s0, { kind: "join", actor: actor("ann"), params: {} }, ctx(actor("ann"), [], { presence: false }));
    expect(j).toMatchObject({ ok: true, emits: [], state: s0 });
  });
});

describe("relayKind presence at scale [R-PRES1]", () => {
  const s0 = relayKind.init({}, testCtx({ now: 0, roomId: "r" }));
  const crowd = (n: number) => Array.from({ length: n }, (_, i) => actor(`u${i}`));
  const join = (n: number, config: Record<string, unknown> = {}) => relayKind.sockets!.presence!(s0, { kind: "join", actor: actor(`u${n - 1}`), params: {} }, ctx(actor(`u${n - 1}`), crowd(n), config));

  it("joins and leaves are ephemeral (never logged)", () => {
    const j = join(3);
    expect(j.ok && j.emits).toEqual([{ body: expect.objectContaining({ type: "presence.join" }), log: false }]);
  });

  it("above presenceDetailMax only presence.count, and a storm costs O(n) frames", () => {
    expect(join(101)).toMatchObject({ emits: [{ body: { type: "presence.count", count: 101 }, log: false }] });
    expect(join(6, { presenceDetailMax: 5 })).toMatchObject({ emits: [{ body: { type: "presence.count", count: 6 } }] });
    let frames = 0;
    let counts = 0;
    for (let n = 1; n <= 2000; n++) {
      const r = join(n);
      if (r.ok && r.emits.length) {
        frames += n - 1;
        if (n > 100) counts++;
      }
    }
    // Per-member up to 100 (4,950 frames), then ~16 count frames per doubling: well under n^2/2 = 2,000,000.
    expect(counts).toBeLessThan(100);
    expect(frames).toBeLessThan(200_000);
  });
});

describe("relayKind presence counts, at most one per presenceCountMs [R-PRES2]", () => {
  const crowd = (n: number) => Array.from({ length: n }, (_, i) => actor(`u${i}`));
  const at = (now: number, n: number, config: Record<string, unknown> = {}) => testCtx({ actor: actor(`u${n - 1}`), roomId: "r", now, config, online: crowd(n) });
  const join = (s: RelayState, now: number, n: number, config: Record<string, unknown> = {}) => relayKind.sockets!.presence!(s, { kind: "join", actor: actor(`u${n - 1}`), params: {} }, at(now, n, config));
  const s0 = relayKind.init({}, testCtx({ now: 0, roomId: "r" }));

  it("a step within the second of the last count is held, a wake is asked for when that second ends, and the wake says the count then", () => {
    const a = join(s0, 10_000, 104); // a step (4) above 100
    expect(a).toMatchObject({ ok: true, emits: [{ body: { type: "presence.count", count: 104 }, log: false }] });
    if (!a.ok) return;
    const b = join(a.state, 10_300, 108);
    expect(b).toMatchObject({ ok: true, emits: [], wakeAt: 11_000, state: { countDue: true } });
    if (!b.ok) return;
    // Held already: later steps in the window ask nothing more.
    const c = join(b.state, 10_600, 112);
    expect(c.ok && [c.emits, c.wakeAt]).toEqual([[], undefined]);
    if (!c.ok) return;
    const w = relayKind.wake!(c.state, at(11_000, 115));
    expect(w).toMatchObject({ ok: true, emits: [{ body: { type: "presence.count", count: 115, timestamp: 11_000 }, log: false }], state: { countAt: 11_000, countSaid: 115 } });
    expect(w.ok && w.state.countDue).toBeUndefined();
    // A step a second or more after the last count goes at once.
    if (!w.ok) return;
    expect(join(w.state, 12_000, 116)).toMatchObject({ emits: [{ body: { count: 116 } }] });
  });

  it("a publish in the wait keeps what the wait remembers: the held count is still said by the wake", () => {
    const held = { published: 3, countAt: 10_000, countSaid: 104, countDue: true as const };
    const p = relayKind.apply(held, { type: "publish", data: 1 }, testCtx({ actor: actor("ann"), roomId: "r", now: 10_500, online: crowd(108) }));
    expect(p).toMatchObject({ ok: true, state: { published: 4, countAt: 10_000, countSaid: 104, countDue: true } });
    if (!p.ok) return;
    expect(relayKind.wake!(p.state, at(11_000, 108))).toMatchObject({ emits: [{ body: { type: "presence.count", count: 108 } }] });
    // And a step right after the publish still waits.
    const { countDue: _held, ...said } = p.state;
    expect(join(said, 10_600, 112)).toMatchObject({ emits: [], wakeAt: 11_000 });
  });

  it("a storm that ends between steps, its last step said at once, has its last count said by the wake", () => {
    // 248 is a step (8) said at once (the last count was over a second before); 249 and 250 are not steps.
    const said = join({ published: 0, countAt: 8_000, countSaid: 101 }, 10_000, 248);
    expect(said).toMatchObject({ ok: true, emits: [{ body: { count: 248 } }], state: { countAt: 10_000, countSaid: 248 } });
    if (!said.ok) return;
    const a = join(said.state, 10_100, 249);
    expect(a).toMatchObject({ ok: true, emits: [], wakeAt: 11_000, state: { countDue: true } });
    if (!a.ok) return;
    const b = join(a.state, 10_200, 250);
    expect(b.ok && [b.emits, b.wakeAt]).toEqual([[], undefined]);
    if (!b.ok) return;
    expect(relayKind.wake!(b.state, at(11_000, 250))).toMatchObject({ emits: [{ body: { type: "presence.count", count: 250 } }], state: { countSaid: 250 } });
    // Long after the last count, a count between steps is said by a wake at once; back at what was said, nothing is asked.
    expect(join({ published: 0, countAt: 1_000, countSaid: 248 }, 20_000, 249)).toMatchObject({ emits: [], wakeAt: 20_000 });
    const leave = relayKind.sockets!.presence!({ published: 0, countAt: 10_000, countSaid: 250 }, { kind: "leave", actor: actor("u250"), params: {} }, at(10_500, 250));
    expect(leave.ok && [leave.emits, leave.wakeAt]).toEqual([[], undefined]);
    // presenceCountMs 0: steps only, as [R-PRES1] says.
    const off = join(said.state, 10_100, 249, { presenceCountMs: 0 });
    expect(off.ok && [off.emits, off.wakeAt]).toEqual([[], undefined]);
  });

  it("the wake says nothing when the count is what was said, or presence is per member again", () => {
    const held = { published: 0, countAt: 10_000, countSaid: 104, countDue: true as const };
    expect(relayKind.wake!(held, at(11_000, 104))).toMatchObject({ ok: true, emits: [], state: { countSaid: 104 } });
    const back = relayKind.wake!(held, at(11_000, 90));
    expect(back.ok && [back.emits, back.state.countDue]).toEqual([[], undefined]);
  });

  it("crossing the threshold is never held; presenceCountMs 0 says every step", () => {
    const said = { published: 0, countAt: 10_000, countSaid: 104 };
    // 101 -> 100 crosses back to per-member presence: said at once, whenever the last count was.
    const leave = relayKind.sockets!.presence!(said, { kind: "leave", actor: actor("u100"), params: {} }, at(10_100, 100));
    expect(leave).toMatchObject({ emits: [{ body: { type: "presence.count", count: 100 } }] });
    expect(join(said, 10_100, 108, { presenceCountMs: 0 })).toMatchObject({ emits: [{ body: { count: 108 } }] });
  });

  it("a 100 -> 2,000 storm within a second and a half costs a few count broadcasts, not one per step", () => {
    let s: RelayState = s0;
    let broadcasts = 0;
    let wakeAt: number | undefined;
    for (let n = 101; n <= 2000; n++) {
      const now = 10_000 + Math.floor(((n - 101) * 1500) / 1900);
      if (wakeAt !== undefined && now >= wakeAt) {
        const w = relayKind.wake!(s, at(wakeAt, n - 1));
        if (w.ok) (s = w.state), (broadcasts += w.emits.length);
        wakeAt = undefined;
      }
      const r = join(s, now, n);
      if (!r.ok) throw new Error("refused");
      s = r.state;
      broadcasts += r.emits.length;
      if (typeof r.wakeAt === "number") wakeAt = r.wakeAt;
    }
    // The crossing, one a second, and the held one: against ~70 steps between 101 and 2,000.
    expect(broadcasts).toBeLessThanOrEqual(4);
    expect(broadcasts).toBeGreaterThanOrEqual(2);
  });
});
