import { describe, expect, it } from "vitest";
import { eventually, objectNamed } from "./helpers/objects.ts";
import { api, open, type TestSocket } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

const uid = (prefix: string) => `${prefix}${crypto.randomUUID().slice(0, 8)}`;
const svc = () => token({ sub: "svc", name: "svc", scope: "rooms:admin events:publish" });

async function create(dm: string, players: string[], extra: Record<string, unknown> = {}) {
  const campaign_id = uid("camp");
  const res = await api("POST", "/api/campaigns", await svc(), { campaign_id, dm_user_id: dm, players, ...extra });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return campaign_id;
}

async function socketOf(path: string, sub: string): Promise<TestSocket> {
  const socket = await open(`${path}&token=${await token({ sub, name: sub })}`);
  expect(await socket.next(5000)).toMatchObject({ type: "snapshot" });
  return socket;
}

describe("audiences over gateways ([S4])", () => {
  it("a DM's table over 4 objects: DM-only frames reach only the DM, a campaign's frames only its players; nothing leaks across gateways", { timeout: 60_000 }, async () => {
    const dm = uid("dm");
    const aPlayers = [uid("a"), uid("a"), uid("a"), uid("a")];
    const bPlayers = [uid("b"), uid("b")];
    const a = await create(dm, aPlayers, { sockets_per_object: 2 });
    const b = await create(dm, bPlayers);
    const dmWs = await socketOf(`/ws/campaign/dm?campaign=${a}`, dm);
    const aWs = [];
    for (const p of aPlayers) aWs.push(await socketOf(`/ws/campaign/player?campaign=${a}`, p));
    const bWs = [];
    for (const p of bPlayers) bWs.push(await socketOf(`/ws/campaign/player?campaign=${b}`, p));
    const table = (await api("GET", `/api/campaigns/${a}`, await svc())).json;
    expect(table.campaign_id).toBe(a);
    const spread = await objectNamed(`campaign.table:${dm}`).spread();
    if (!spread.ok) throw new Error(spread.code);
    expect(spread.sockets).toBe(7);
    expect(spread.gateways.length).toBeGreaterThanOrEqual(3);

    // DM-only: each player's join went to the DM, and to no player.
    for (const p of [...aPlayers, ...bPlayers]) await dmWs.waitFor((f) => f.type === "player_joined" && f.user_id === p, 5000);
    // A campaign's frames reach its own players (and the DM), on whichever gateway they sit.
    const dmToken = await token({ sub: dm, name: dm });
    expect((await api("POST", `/api/campaigns/${a}/load`, dmToken, { structured_data: { narrative: "A" } })).status).toBe(200);
    expect((await api("POST", `/api/campaigns/${b}/load`, dmToken, { structured_data: { narrative: "B" } })).status).toBe(200);
    for (const s of aWs) await s.waitFor((f) => f.type === "campaign_loaded" && f.campaign_id === a, 5000);
    for (const s of bWs) await s.waitFor((f) => f.type === "campaign_loaded" && f.campaign_id === b, 5000);
    // Fences: a later frame for each campaign. A gateway gets a room's frames in order, so once a
    // socket has its fence, anything leaked to it earlier has arrived.
    expect((await api("POST", `/api/campaigns/${a}/load`, dmToken, { structured_data: { fence: "A" } })).status).toBe(200);
    expect((await api("POST", `/api/campaigns/${b}/load`, dmToken, { structured_data: { fence: "B" } })).status).toBe(200);
    for (const s of aWs) await s.waitFor((f) => f.type === "campaign_loaded" && f.campaign_id === a && (f.structured_data as { fence?: string }).fence === "A", 5000);
    for (const s of bWs) await s.waitFor((f) => f.type === "campaign_loaded" && f.campaign_id === b && (f.structured_data as { fence?: string }).fence === "B", 5000);
    for (const s of aWs) {
      expect(s.frames.filter((f) => f.type === "player_joined" || f.type === "player_left")).toEqual([]);
      expect(s.frames.filter((f) => f.campaign_id === b)).toEqual([]);
    }
    for (const s of bWs) {
      expect(s.frames.filter((f) => f.type === "player_joined" || f.type === "player_left")).toEqual([]);
      expect(s.frames.filter((f) => f.campaign_id === a)).toEqual([]);
    }
    for (const s of [dmWs, ...aWs, ...bWs]) s.close();
    // Every close heard by the table (its gateways forwarded them): nothing is left in flight.
    await eventually(async () => {
      const now = await objectNamed(`campaign.table:${dm}`).spread();
      expect(now.ok && now.sockets).toBe(0);
    }, 10_000);
  });
});
