import { describe, expect, it } from "vitest";
import type { Actor } from "../core/kind.ts";
import { judgeRefresh, tokenFrameOf, type TokenCheck, type VerifyToken } from "./refreshToken.ts";
import { quietLog, RoomHarness, settle, user } from "./testing/roomHarness.ts";
import type { FakeSocket } from "./testing/fakeHost.ts";

const ann = user("ann");
const MIN = 60_000;
const noFigures = { metricsFlushMs: 24 * 60 * MIN };

/**
 * A fake verifier: a token is `<sub>|<expiresAt>` (with `|role=`, `|scopes=a,b`, `|rooms=other`
 * suffixes: `rooms=X` admits only the object X, null meaning this one, is never X), `bad` fails its
 * signature, `expired` is past its exp. Records the tokens and the rooms it was asked about.
 */
function fakeVerifier(): VerifyToken & { seen: string[]; rooms: (string | null)[] } {
  const seen: string[] = [];
  const rooms: (string | null)[] = [];
  const verify = async (token: string, room: string | null): Promise<TokenCheck> => {
    seen.push(token);
    rooms.push(room);
    if (token === "bad") return { ok: false, code: "TOKEN_INVALID", message: "Token signature is invalid." };
    if (token === "expired") return { ok: false, code: "TOKEN_EXPIRED", message: "Token has expired." };
    const [sub, exp, ...rest] = token.split("|");
    const extra = Object.fromEntries(rest.map((r) => r.split("=") as [string, string]));
    if (extra.rooms !== undefined && extra.rooms !== room) return { ok: true, actor: null, expiresAt: Number(exp) };
    const scopes = extra.scopes ? extra.scopes.split(",") : [];
    const actor: Actor = { userId: sub!, name: sub!, role: extra.role ?? "member", service: scopes.length > 0, scopes };
    return { ok: true, actor, expiresAt: exp === "none" ? null : Number(exp) };
  };
  return Object.assign(verify, { seen, rooms });
}

async function present(h: RoomHarness, ws: FakeSocket, token: string | Record<string, unknown>) {
  const frame = typeof token === "string" ? { type: "hearth.token", token } : token;
  await h.room.message(ws, JSON.stringify(frame));
  await settle();
  return ws.take();
}

describe("Token refresh on open sockets", () => {
  it("[K4] a socket refreshed three times past its first token's expiry stays open, and closes 4001 at the last token's expiry", async () => {
    const verify = fakeVerifier();
    const h = new RoomHarness({ ...noFigures, verifyToken: verify }).create();
    const first = h.clock.t + 60_000;
    const ws = h.connect(ann, {}, { expiresAt: first });
    let exp = first;
    for (let i = 0; i < 3; i++) {
      h.clock.advance(50_000);
      exp = h.clock.t + 60_000;
      expect(await present(h, ws, `ann|${exp}`)).toEqual([{ type: "hearth.token", ok: true, expiresAt: exp }]);
      expect(h.host.sockets()[0]!.deserializeAttachment()).toMatchObject({ expiresAt: exp });
      // The alarm may fire at the old deadline: the sweep finds nothing due and re-arms for the new one.
      h.clock.t = Math.max(h.clock.t, h.host.alarmAt ?? 0);
      await h.fireAlarm();
      expect(ws.closed).toBeNull();
    }
    expect(h.clock.t).toBeGreaterThan(first);
    // Still usable: a command goes through.
    expect(h.send(ws, { type: "inc", id: "c1" })).toContainEqual(expect.objectContaining({ type: "ack", id: "c1" }));
    await settle();
    expect(h.host.alarmAt).toBeLessThanOrEqual(exp);
    h.clock.t = exp;
    await h.fireAlarm();
    expect(ws.closed).toEqual({ code: 4001, reason: "Token expired" });
  });

  it("[K4] the moved deadline survives eviction (it is on the socket's attachment)", async () => {
    const verify = fakeVerifier();
    const h = new RoomHarness({ ...noFigures, verifyToken: verify }).create();
    const ws = h.connect(ann, {}, { expiresAt: h.clock.t + 1_000 });
    const exp = h.clock.t + 10 * MIN;
    await present(h, ws, `ann|${exp}`);
    h.evict();
    h.clock.advance(5_000);
    await h.room.alarm();
    expect(ws.closed).toBeNull();
  });

  it("[K2] a token for another user closes the socket with 4001", async () => {
    const h = new RoomHarness({ ...noFigures, verifyToken: fakeVerifier() }).create();
    const ws = h.connect(ann, {}, { expiresAt: h.clock.t + MIN });
    expect(await present(h, ws, `bob|${h.clock.t + 10 * MIN}`)).toEqual([]);
    expect(ws.closed).toEqual({ code: 4001, reason: "Token is for another user" });
  });

  it("[K2] a token with a bad signature closes 4001 Invalid token; an expired one closes 4001 Token expired", async () => {
    const h = new RoomHarness({ ...noFigures, verifyToken: fakeVerifier() }).create();
    const a = h.connect(ann, {}, { expiresAt: h.clock.t + MIN });
    await present(h, a, "bad");
    expect(a.closed).toEqual({ code: 4001, reason: "Invalid token" });
    const b = h.connect(user("bob"), {}, { expiresAt: h.clock.t + MIN });
    await present(h, b, "expired");
    expect(b.closed).toEqual({ code: 4001, reason: "Token expired" });
  });

  it("[K3] a token that changes role or scopes, or whose rooms claim leaves this room out, closes 4001", async () => {
    const h = new RoomHarness({ ...noFigures, verifyToken: fakeVerifier() }).create();
    const exp = h.clock.t + 10 * MIN;
    const cases: [string, string][] = [
      [`ann|${exp}|role=admin`, "Token changes the socket's role or scopes"],
      [`ann|${exp}|scopes=rooms:admin`, "Token changes the socket's role or scopes"],
      [`ann|${exp}|rooms=other`, "Token is not valid for this room"],
    ];
    for (const [token, reason] of cases) {
      const ws = h.connect(ann, {}, { expiresAt: h.clock.t + MIN });
      await present(h, ws, token);
      expect(ws.closed, token).toEqual({ code: 4001, reason });
    }
    // Same scopes in another order are the same scopes.
    const svc = user("svc", { service: true, scopes: ["events:publish", "rooms:admin"] });
    const ws = h.connect(svc, {}, { expiresAt: h.clock.t + MIN });
    expect(await present(h, ws, `svc|${exp}|scopes=rooms:admin,events:publish`)).toMatchObject([{ ok: true }]);
  });

  it("[K3] the token is checked against what it granted at connect (the room its rooms claim admitted, its role), not the route's adjustments", async () => {
    const verify = fakeVerifier();
    const h = new RoomHarness({ ...noFigures, verifyToken: verify }).create();
    const exp = h.clock.t + 10 * MIN;
    // A campaign socket: admitted to campaign:X as a member, placed at the DM's table as player:X.
    const grant = { room: "campaign:X", role: "member" };
    const ws = h.connect(user("ann", { role: "player:X" }), {}, { expiresAt: h.clock.t + MIN, grant });
    expect(await present(h, ws, `ann|${exp}|rooms=campaign:X`)).toMatchObject([{ ok: true, expiresAt: exp }]);
    expect(verify.rooms).toEqual(["campaign:X"]);
    expect(h.host.sockets()[0]!.deserializeAttachment()).toMatchObject({ grant, actor: { role: "player:X" } });
    await present(h, ws, `ann|${exp}|rooms=campaign:Y`);
    expect(ws.closed).toEqual({ code: 4001, reason: "Token is not valid for this room" });
  });

  it("[K1] the event family's frame is answered in its own shape; a frame without a token closes 4001", async () => {
    const h = new RoomHarness({ ...noFigures, verifyToken: fakeVerifier() }).create();
    const ws = h.connect(ann, {}, { expiresAt: h.clock.t + MIN });
    const exp = h.clock.t + 10 * MIN;
    expect(await present(h, ws, { event: "hearth.token", data: { token: `ann|${exp}` } })).toEqual([{ event: "hearth.token", data: { ok: true, expiresAt: exp } }]);
    await present(h, ws, { type: "hearth.token" });
    expect(ws.closed).toEqual({ code: 4001, reason: "Token frame without a token" });
  });

  it("[K1] token frames never reach the kind or the log, and the token is never logged", async () => {
    const verify = fakeVerifier();
    const h = new RoomHarness({ ...noFigures, verifyToken: verify }).create();
    const ws = h.connect(ann, {}, { expiresAt: h.clock.t + MIN });
    const head = h.store.head();
    quietLog.lines.length = 0;
    const secret = `ann|${h.clock.t + 10 * MIN}`;
    await present(h, ws, secret);
    expect(h.store.head()).toBe(head);
    expect(verify.seen).toEqual([secret]);
    expect(JSON.stringify(quietLog.lines)).not.toContain(secret);
    expect(quietLog.lines.map((l) => l.event)).toContain("token_refreshed");
  });

  it("[K5] token frames are rate-limited like any frame", async () => {
    const verify = fakeVerifier();
    const h = new RoomHarness({ ...noFigures, verifyToken: verify }).create({ limits: { rateBurst: 2, ratePerSec: 0.1, strikesBeforeClose: 2 } });
    const ws = h.connect(ann, {}, { expiresAt: h.clock.t + MIN });
    const t = `ann|${h.clock.t + 10 * MIN}`;
    await present(h, ws, t);
    await present(h, ws, t);
    expect(await present(h, ws, t)).toMatchObject([{ type: "error", code: "RATE_LIMITED" }]);
    await present(h, ws, t);
    expect(ws.closed).toMatchObject({ code: 4008 });
    expect(verify.seen).toHaveLength(2);
  });

  it("[K1] without a verifier the room answers ok:false and keeps the socket and its deadline", async () => {
    const h = new RoomHarness(noFigures).create();
    const deadline = h.clock.t + MIN;
    const ws = h.connect(ann, {}, { expiresAt: deadline });
    expect(await present(h, ws, "ann|9999999999999")).toMatchObject([{ type: "hearth.token", ok: false, code: "AUTH_NOT_CONFIGURED" }]);
    expect(ws.closed).toBeNull();
    expect(h.host.sockets()[0]!.deserializeAttachment()).toMatchObject({ expiresAt: deadline });
  });

  it("[K1] a socket that closed while its token was checked is left alone", async () => {
    let release!: (c: TokenCheck) => void;
    const verify: VerifyToken = () => new Promise((r) => (release = r));
    const h = new RoomHarness({ ...noFigures, verifyToken: verify }).create();
    const ws = h.connect(ann, {}, { expiresAt: h.clock.t + MIN });
    const pending = h.room.message(ws, JSON.stringify({ type: "hearth.token", token: "x" }));
    ws.close(1000, "bye");
    h.room.closed(ws);
    release({ ok: true, actor: ann, expiresAt: h.clock.t + 10 * MIN });
    await pending;
    expect(ws.outgoing.filter((f) => f.includes("hearth.token"))).toEqual([]);
  });
});

describe("tokenFrameOf / judgeRefresh", () => {
  it("[K1] only frames named hearth.token are token frames", () => {
    expect(tokenFrameOf('{"type":"chat","text":"hearth.token"}')).toBeNull();
    expect(tokenFrameOf('{"type":"chat","text":"\\"hearth.token\\""}')).toBeNull();
    expect(tokenFrameOf('{"type":"auth","user_id":"u1"}')).toBeNull();
    expect(tokenFrameOf('{"type":"hearth.token","token":"t"}')).toEqual({ form: "type", token: "t" });
    expect(tokenFrameOf('{"event":"hearth.token","data":{"token":"t"}}')).toEqual({ form: "event", token: "t" });
    expect(tokenFrameOf('{"type":"hearth.token","token":7}')).toEqual({ form: "type", token: null });
    expect(tokenFrameOf(new ArrayBuffer(4))).toBeNull();
  });

  it("[K2] a token already past its exp (inside the verifier's clock tolerance) does not extend the socket", () => {
    expect(judgeRefresh({ actor: ann }, { ok: true, actor: ann, expiresAt: 1_000 }, 1_000)).toEqual({ ok: false, reason: "Token expired" });
    expect(judgeRefresh({ actor: ann }, { ok: true, actor: ann, expiresAt: 1_001 }, 1_000)).toEqual({ ok: true, expiresAt: 1_001 });
  });
});
