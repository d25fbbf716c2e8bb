import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { objectNamed } from "./helpers/objects.ts";
import { stubFor } from "./helpers/rooms.ts";
import { api, connect, open, type Frame, type TestSocket } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

/**
 * Issue 23, item 1: a DM's table. Player sockets follow the DM's active campaign across switches on
 * one connection; switches serialize in the DM's table, so exactly one campaign is active whatever
 * their concurrency; a DM may have any number of campaigns.
 */

const svc = () => token({ sub: "gaia-api", scope: "events:publish" });
const uid = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const userToken = (sub: string) => token({ sub, name: sub.toUpperCase() });

async function createFor(dm: string, options: { players?: string[]; id?: string } = {}) {
  const campaign_id = options.id ?? uid("camp");
  const res = await api("POST", "/api/campaigns", await svc(), { campaign_id, dm_user_id: dm, ...(options.players ? { players: options.players } : {}) });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return campaign_id;
}

const switchTo = async (dm: string, t: string, campaign_id: string, structured_data?: Record<string, unknown>) =>
  api("POST", `/api/dms/${encodeURIComponent(dm)}/active`, t, { campaign_id, ...(structured_data ? { structured_data } : {}) });

/** A socket at the DM's table (`?dm=`), its snapshot read. */
async function byDm(dm: string, sub: string, query = "") {
  const socket = await open(`/ws/campaign/player?dm=${encodeURIComponent(dm)}&token=${await userToken(sub)}${query}`);
  const snapshot = await socket.next();
  expect(snapshot).toMatchObject({ type: "snapshot", seq: expect.any(Number), epoch: expect.any(String) });
  return { socket, snapshot };
}

/** The campaign frames a socket heard, in order, as `type:campaign_id`. */
const trail = (frames: Frame[]) => frames.filter((f) => String(f.type).startsWith("campaign_")).map((f) => `${String(f.type).slice(9)}:${String(f.campaign_id)}`);

async function framesUntil(socket: TestSocket, pred: (f: Frame) => boolean): Promise<Frame[]> {
  const out: Frame[] = [];
  for (;;) {
    const f = await socket.next();
    out.push(f);
    if (pred(f)) return out;
  }
}

describe("a DM's table (issue 23): player sockets follow the DM's active campaign", () => {
  it("a player socket follows A -> B -> A on one connection, with each campaign's data and later updates", async () => {
    // An identity provider's id (`auth0|...`) is not a room id: the table's name is derived from a digest of it.
    const dm = `auth0|${uid("dm")}`;
    const dmToken = await token({ sub: dm, name: "Dana" });
    const a = await createFor(dm);
    const b = await createFor(dm);
    const pid = uid("pia");
    const { socket, snapshot } = await byDm(dm, pid);
    // Nothing active yet: the snapshot says so, and nothing else comes.
    expect(snapshot.state).toMatchObject({ active: false, active_campaign_id: null, structured_data: null });
    expect(await socket.drain()).toEqual([]);
    // Another player came through campaign B's URL (the one creation hands out): the same table.
    const viaB = await open(`/ws/campaign/player?campaign=${b}&token=${await userToken(uid("bo"))}`);
    expect(await viaB.next()).toMatchObject({ type: "snapshot" });

    const loadedA = await api("POST", `/api/campaigns/${a}/load`, dmToken, { structured_data: { narrative: "in A" } });
    expect(loadedA.status, JSON.stringify(loadedA.json)).toBe(200);
    expect(await socket.next()).toMatchObject({ type: "campaign_loaded", campaign_id: a, structured_data: { narrative: "in A" }, seq: loadedA.json.seq });

    // A -> B: deactivated A, then loaded B with B's data, then B's updates, on the same socket.
    const toB = await switchTo(dm, dmToken, b, { narrative: "in B", turn: "1" });
    expect(toB.status, JSON.stringify(toB.json)).toBe(200);
    expect(toB.json).toMatchObject({ dm_user_id: dm, campaign_id: b, deactivated: [a], active: true, structured_data: { narrative: "in B", turn: "1" } });
    const off = await socket.next();
    expect(off).toEqual({ type: "campaign_deactivated", campaign_id: a, timestamp: expect.any(String), seq: loadedA.json.seq + 1, epoch: loadedA.json.epoch });
    const onB = await socket.next();
    expect(onB).toEqual({ type: "campaign_loaded", campaign_id: b, structured_data: { narrative: "in B", turn: "1" }, timestamp: expect.any(String), seq: toB.json.seq, epoch: loadedA.json.epoch });
    expect(toB.json.seq).toBe(loadedA.json.seq + 2);
    const upB = await api("POST", `/api/campaigns/${b}/update`, dmToken, { structured_data: { turn: "2" } });
    expect(upB.status).toBe(200);
    expect(await socket.next()).toMatchObject({ type: "campaign_updated", campaign_id: b, structured_data: { narrative: "in B", turn: "2" }, seq: upB.json.seq });
    // Updating the campaign that is no longer active is refused and reaches nobody.
    expect((await api("POST", `/api/campaigns/${a}/update`, dmToken, { structured_data: { turn: "x" } })).json.error.code).toBe("CAMPAIGN_INACTIVE");

    // B -> A without data: A comes back with its last data.
    const toA = await switchTo(dm, dmToken, a);
    expect(toA.json).toMatchObject({ campaign_id: a, deactivated: [b], structured_data: { narrative: "in A" } });
    expect(await socket.next()).toMatchObject({ type: "campaign_deactivated", campaign_id: b });
    expect(await socket.next()).toMatchObject({ type: "campaign_loaded", campaign_id: a, structured_data: { narrative: "in A" }, seq: toA.json.seq });
    // The DM socket (opened through campaign A) updates A; the player hears it.
    const dmWs = await open(`/ws/campaign/dm?campaign=${a}&token=${dmToken}`);
    expect(await dmWs.next()).toMatchObject({ type: "snapshot" });
    dmWs.send({ type: "campaign_updated", id: "u1", structured_data: { status: "resting" } });
    expect(await socket.next()).toMatchObject({ type: "campaign_updated", campaign_id: a, structured_data: { narrative: "in A", status: "resting" } });
    expect(await dmWs.nextMatching((f) => f.type === "ack")).toMatchObject({ id: "u1" });

    // The socket that came through B's URL heard exactly the same, in the same order.
    const heard = await framesUntil(viaB, (f) => f.type === "campaign_updated" && f.campaign_id === a);
    expect(trail(heard)).toEqual([`loaded:${a}`, `deactivated:${a}`, `loaded:${b}`, `updated:${b}`, `deactivated:${b}`, `loaded:${a}`, `updated:${a}`]);
    expect(await socket.drain()).toEqual([]);
    // The DM hears who sits at the table.
    expect((await api("GET", `/api/campaigns/${b}`, dmToken)).json).toMatchObject({ campaign_id: b, active: false, active_campaign_id: a, structured_data: { narrative: "in B", turn: "2" } });
    expect((await api("GET", `/api/campaigns/${a}`, dmToken)).json.online.players.map((p: { user_id: string }) => p.user_id)).toContain(pid);
  });

  it("a player who was away during a switch resumes with since/epoch and gets the switch replayed, in order, once", async () => {
    const dm = uid("dm");
    const dmToken = await userToken(dm);
    const a = await createFor(dm);
    const b = await createFor(dm);
    await switchTo(dm, dmToken, a, { narrative: "A1" });
    const { socket, snapshot } = await byDm(dm, uid("rae"));
    expect(await socket.next()).toMatchObject({ type: "campaign_active", campaign_id: a });
    socket.close();
    await socket.waitClosed();
    await switchTo(dm, dmToken, b, { narrative: "B1" });
    await api("POST", `/api/campaigns/${b}/update`, dmToken, { structured_data: { narrative: "B2" } });
    const back = await open(`/ws/campaign/player?dm=${dm}&token=${await userToken("rae-again")}&since=${snapshot.seq}&epoch=${snapshot.epoch}`);
    const frames = await framesUntil(back, (f) => f.type === "recovered");
    expect(frames.at(-1)).toMatchObject({ recovered: true });
    expect(trail(frames)).toEqual([`deactivated:${a}`, `loaded:${b}`, `updated:${b}`]);
    expect(await back.next()).toMatchObject({ type: "campaign_active", campaign_id: b, structured_data: { narrative: "B2" } });
    expect(trail(await back.drain())).toEqual([]);
  });

  it("invite lists still hold: a player follows only the campaigns that invite them; ?dm= of an unknown DM is 4004", async () => {
    const dm = uid("dm");
    const dmToken = await userToken(dm);
    const ann = uid("ann");
    const open1 = await createFor(dm);
    const closed = await createFor(dm, { players: [uid("someone")] });
    const { socket } = await byDm(dm, ann);
    await switchTo(dm, dmToken, open1, { narrative: "all welcome" });
    expect(await socket.next()).toMatchObject({ type: "campaign_loaded", campaign_id: open1 });
    await switchTo(dm, dmToken, closed, { narrative: "secret" });
    expect(await socket.next()).toMatchObject({ type: "campaign_deactivated", campaign_id: open1 });
    // The invite-only campaign's data never reaches ann.
    expect(await socket.drain()).toEqual([]);
    expect((await api("GET", `/api/campaigns/${closed}`, await userToken(ann))).status).toBe(403);
    const outsider = await connect(`/ws/campaign/player?campaign=${closed}&token=${await userToken(ann)}`);
    expect(await outsider.socket!.waitClosed()).toMatchObject({ code: 4003 });
    const nobody = await connect(`/ws/campaign/player?dm=${uid("ghost")}&token=${await userToken(ann)}`);
    expect(await nobody.socket!.waitClosed()).toMatchObject({ code: 4004 });
    // A DM whose campaigns are all invite-only: strangers are refused at the table's door.
    const dm2 = uid("dm");
    await createFor(dm2, { players: ["x"] });
    const stranger = await connect(`/ws/campaign/player?dm=${dm2}&token=${await userToken(ann)}`);
    expect(await stranger.socket!.waitClosed()).toMatchObject({ code: 4003 });
  });
});

describe("a DM's table (issue 23): one campaign active, whatever the concurrency", () => {
  it("four concurrent switches leave exactly one campaign active, and each answer says what it deactivated (ten rounds)", async () => {
    const dm = uid("dm");
    const ids = [await createFor(dm), await createFor(dm), await createFor(dm), await createFor(dm)];
    const s = await svc();
    const { socket } = await byDm(dm, uid("watcher"));
    let active: string | null = null;
    let last = 0;
    for (let round = 0; round < 10; round++) {
      // Even rounds bring data; odd ones switch back to each campaign's last data (read from its record, which the table checks).
      const withData = round % 2 === 0;
      const answers = await Promise.all(ids.map((id) => switchTo(dm, s, id, withData ? { narrative: `round ${round} ${id}` } : undefined)));
      for (const r of answers) expect(r.status, JSON.stringify(r.json)).toBe(200);
      // Serialized: in commit order, each switch deactivated exactly what the one before it had activated.
      const ordered = answers.map((r) => r.json).sort((x, y) => x.seq - y.seq);
      for (const r of ordered) {
        expect(r.deactivated).toEqual(active === null || active === r.campaign_id ? [] : [active]);
        active = r.campaign_id;
        last = r.seq;
      }
      const views = await Promise.all(ids.map(async (id) => (await api("GET", `/api/campaigns/${id}`, s)).json));
      expect(views.filter((v) => v.active).map((v) => v.campaign_id)).toEqual([active]);
      expect(new Set(views.map((v) => v.active_campaign_id))).toEqual(new Set([active]));
      const lastLoaded = withData ? round : round - 1;
      for (const v of views) expect(v.structured_data, `round ${round}: ${v.campaign_id}`).toEqual({ narrative: `round ${lastLoaded} ${v.campaign_id}` });
      for (const r of ordered) expect(r.structured_data).toEqual({ narrative: `round ${lastLoaded} ${r.campaign_id}` });
    }
    // The player's socket saw the same story: never two campaigns active, and it ends on the winner.
    let following: string | null = null;
    for (const f of await framesUntil(socket, (f) => f.type === "campaign_loaded" && f.seq === last)) {
      if (f.type === "campaign_deactivated") {
        expect(f.campaign_id).toBe(following);
        following = null;
      } else if (f.type === "campaign_loaded") {
        expect(following === null || following === f.campaign_id).toBe(true);
        following = f.campaign_id as string;
      }
    }
    expect(following).toBe(active);
  });

  it("a DM with more than 100 campaigns can switch to any of them, the oldest included", async () => {
    const dm = uid("dm");
    const dmToken = await userToken(dm);
    const ids: string[] = [];
    for (let i = 0; i < 105; i += 15) ids.push(...(await Promise.all(Array.from({ length: Math.min(15, 105 - i) }, () => createFor(dm)))));
    expect(ids).toHaveLength(105);
    const newest = ids.at(-1)!;
    const oldest = ids[0]!;
    expect((await switchTo(dm, dmToken, newest, { narrative: "newest" })).json).toMatchObject({ campaign_id: newest, deactivated: [] });
    const toOldest = await switchTo(dm, dmToken, oldest, { narrative: "oldest" });
    expect(toOldest.status, JSON.stringify(toOldest.json)).toBe(200);
    expect(toOldest.json).toMatchObject({ campaign_id: oldest, deactivated: [newest], active: true });
    const toMiddle = await switchTo(dm, dmToken, ids[50]!);
    expect(toMiddle.json).toMatchObject({ campaign_id: ids[50], deactivated: [oldest], structured_data: {} });
    const views = await Promise.all([oldest, newest, ids[50]!].map(async (id) => (await api("GET", `/api/campaigns/${id}`, dmToken)).json));
    expect(views.map((v) => [v.campaign_id, v.active])).toEqual([
      [oldest, false],
      [newest, false],
      [ids[50], true],
    ]);
  });
});

describe("a DM's table (issue 23): eviction", () => {
  it("the table survives eviction: open sockets keep following, the active pointer holds", async () => {
    const dm = uid("dm");
    const dmToken = await userToken(dm);
    const a = await createFor(dm);
    const b = await createFor(dm);
    const { socket } = await byDm(dm, uid("ivy"));
    await switchTo(dm, dmToken, a, { narrative: "A" });
    expect(await socket.next()).toMatchObject({ type: "campaign_loaded", campaign_id: a });
    await evictDurableObject(stubFor(`campaign.table:${dm}`));
    expect((await switchTo(dm, dmToken, b, { narrative: "B" })).json).toMatchObject({ deactivated: [a] });
    expect(trail([await socket.next(), await socket.next()])).toEqual([`deactivated:${a}`, `loaded:${b}`]);
  });
});

describe("a DM's table (issue 23): the DM's own sockets and creations cut short", () => {
  it("a DM socket opened by DM (`?dm=`) drives the active campaign, or the one a frame names", async () => {
    const dm = uid("dm");
    const dmToken = await userToken(dm);
    const a = await createFor(dm);
    const b = await createFor(dm);
    const { socket } = await byDm(dm, uid("pat"));
    const dmWs = await open(`/ws/campaign/dm?dm=${dm}&token=${dmToken}`);
    expect(await dmWs.next()).toMatchObject({ type: "snapshot" });
    dmWs.send({ type: "campaign_updated", id: "none", structured_data: { narrative: "x" } });
    expect(await dmWs.nextMatching((f) => f.type === "error")).toMatchObject({ id: "none", code: "NO_ACTIVE_CAMPAIGN" });
    dmWs.send({ type: "campaign_loaded", id: "la", campaign_id: a, structured_data: { narrative: "A" } });
    expect(await socket.next()).toMatchObject({ type: "campaign_loaded", campaign_id: a });
    dmWs.send({ type: "campaign_updated", id: "ua", structured_data: { turn: "2" } });
    expect(await socket.next()).toMatchObject({ type: "campaign_updated", campaign_id: a, structured_data: { narrative: "A", turn: "2" } });
    dmWs.send({ type: "switch", id: "sb", campaign_id: b });
    expect(trail([await socket.next(), await socket.next()])).toEqual([`deactivated:${a}`, `loaded:${b}`]);
    // Only the DM opens a DM socket, by DM as by campaign.
    const impostor = await connect(`/ws/campaign/dm?dm=${dm}&token=${await userToken(uid("eve"))}`);
    expect(await impostor.socket!.waitClosed()).toMatchObject({ code: 4003 });
  });

  it("a campaign whose record exists but whose table never heard of it is registered by the next call that needs it", async () => {
    const dm = uid("dm");
    const dmToken = await userToken(dm);
    await createFor(dm); // the table exists
    // A creation cut short: the record was made, the registration never happened.
    const lost = uid("lost");
    const made = await objectNamed(`campaign:${lost}`).create({ roomId: lost, name: `campaign:${lost}`, kind: "campaign", config: { campaign_id: lost, dm_user_id: dm, created_at: new Date().toISOString() }, createdBy: "test" });
    expect(made.ok).toBe(true);
    const loaded = await api("POST", `/api/campaigns/${lost}/load`, dmToken, { structured_data: { narrative: "found" } });
    expect(loaded.status, JSON.stringify(loaded.json)).toBe(200);
    expect((await api("GET", `/api/campaigns/${lost}`, dmToken)).json).toMatchObject({ campaign_id: lost, active: true, structured_data: { narrative: "found" } });
    // Retrying the creation answers 409 and leaves the registration in place.
    expect((await api("POST", "/api/campaigns", await svc(), { campaign_id: lost, dm_user_id: dm })).status).toBe(409);
  });
});
