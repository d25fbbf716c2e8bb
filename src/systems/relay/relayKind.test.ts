import { describe, expect, it } from "vitest";
import { testCtx } from "../../core/testCtx.ts";
import type { Actor, KindCtx } from "../../core/kind.ts";
import { relayKind } from "./relayKind.ts";

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
