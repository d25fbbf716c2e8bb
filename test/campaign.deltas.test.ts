import { describe, expect, it } from "vitest";
import { applyDocumentDelta, type DocumentDelta } from "../src/protocol/deltaPatch.ts";
import { api, open, type Frame, type TestSocket } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

const uid = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

/** A campaign's structured_data of a realistic size (a few KB), in the seed's shapes (strings, a narrative log, turn_info). */
function bigData() {
  return {
    narrative: "The caravan halts at the broken bridge.",
    all_narratives: Array.from({ length: 12 }, (_, i) => `Beat ${i}: the road winds on past the old watchtower and the rising river.`),
    turn: "1",
    status: null,
    characters: Array.from({ length: 6 }, (_, i) => `Hero ${i} (level ${3 + i} ranger): HP ${30 + i}/40, AC 14, carrying rope, torch and rations.`).join("\n"),
    turn_info: { active: "Hero 0", round: 1, order: ["Hero 0", "Hero 1", "Hero 2", "Hero 3", "Hero 4", "Hero 5"] },
    environmental_conditions: "Heavy rain; the river is rising.",
    immediate_threats: "A troll (84 HP) sixty feet away, under the bridge.",
    story_progression: "Act 2, chapter 5: the bridge, the ferry and the mill are behind them.",
  };
}

async function campaign() {
  const dm = uid("dm");
  const campaign_id = uid("camp");
  const res = await api("POST", "/api/campaigns", await token({ sub: "gaia-api", scope: "events:publish" }), { campaign_id, dm_user_id: dm });
  expect(res.status).toBe(201);
  return { id: campaign_id, dmToken: await token({ sub: dm, name: "DM" }) };
}

async function player(id: string, query = "") {
  const sub = uid("p");
  const socket = await open(`/ws/campaign/player?campaign=${id}&token=${await token({ sub, name: sub })}${query}`);
  expect(await socket.next()).toMatchObject({ type: "snapshot" });
  return { socket, sub };
}

/** A delta socket's reading of the stream: full frames as they come, deltas applied to the last document. */
class Reader {
  doc: { seq: number; data: unknown } | null = null;
  deltas = 0;
  read(f: Frame): { ok: true; data: unknown } | { ok: false; code: string } {
    if (f.delta === undefined) {
      this.doc = { seq: f.seq as number, data: f.structured_data };
      return { ok: true, data: f.structured_data };
    }
    this.deltas++;
    const delta = f.delta as DocumentDelta;
    if (!this.doc || this.doc.seq !== delta.base) return { ok: false, code: "DELTA_NO_BASE" };
    const r = applyDocumentDelta(this.doc.data, delta);
    if (!r.ok) return r;
    this.doc = { seq: f.seq as number, data: r.doc };
    return { ok: true, data: r.doc };
  }
}

const isDoc = (f: Frame) => f.type === "campaign_loaded" || f.type === "campaign_updated";
const update = (id: string, t: string, structured_data: Record<string, unknown>) => api("POST", `/api/campaigns/${id}/update`, t, { structured_data });

describe("[W1] campaign document deltas (?delta=1)", () => {
  it("a delta socket rebuilds the same documents a plain socket gets, in fewer bytes; seed-shaped frames elsewhere", async () => {
    const { id, dmToken } = await campaign();
    const plain = await player(id);
    const delta = await player(id, "&delta=1");
    const data = bigData();
    expect((await api("POST", `/api/campaigns/${id}/load`, dmToken, { structured_data: data })).status).toBe(200);
    const reader = new Reader();
    const loadedPlain = await plain.socket.nextMatching(isDoc);
    const loadedDelta = await delta.socket.nextMatching(isDoc);
    // The first document a socket gets is whole (nothing to be a delta against).
    expect(loadedDelta).toEqual(loadedPlain);
    reader.read(loadedDelta);
    let plainBytes = 0;
    let deltaBytes = 0;
    for (let i = 2; i <= 6; i++) {
      const turn_info = { ...data.turn_info, active: `Hero ${i % 6}`, round: i };
      const res = await update(id, dmToken, { turn: String(i), turn_info, narrative: `Turn ${i}.`, all_narratives: [...data.all_narratives, `Turn ${i}.`] });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      const p = await plain.socket.nextMatching(isDoc);
      const d = await delta.socket.nextMatching(isDoc);
      expect(p.delta).toBeUndefined();
      expect(d.delta).toMatchObject({ field: "structured_data", base: expect.any(Number), sum: expect.stringMatching(/^[0-9a-f]{8}$/) });
      expect(d.structured_data).toBeUndefined();
      expect({ ...d, delta: undefined }).toEqual({ ...p, structured_data: undefined });
      expect(reader.read(d)).toEqual({ ok: true, data: p.structured_data });
      plainBytes += plain.socket.raw.at(-1)!.length;
      deltaBytes += delta.socket.raw.at(-1)!.length;
    }
    expect(reader.deltas).toBe(5);
    expect(deltaBytes).toBeLessThan(plainBytes / 4);
    // A bigger-than-the-document change goes whole: the delta is sent only when smaller.
    const replaced = { narrative: "x", all_narratives: [], characters: "", turn_info: {}, story_progression: "", immediate_threats: "" };
    expect((await update(id, dmToken, replaced)).status).toBe(200);
    const p = await plain.socket.nextMatching(isDoc);
    const d = await delta.socket.nextMatching(isDoc);
    expect(reader.read(d)).toEqual({ ok: true, data: p.structured_data });
  });

  it("a socket whose base is wrong fails the checksum and recovers the full document by resuming from its cursor", async () => {
    const { id, dmToken } = await campaign();
    const plain = await player(id);
    const first = await player(id, "&delta=1");
    expect((await api("POST", `/api/campaigns/${id}/load`, dmToken, { structured_data: bigData() })).status).toBe(200);
    const reader = new Reader();
    reader.read(await first.socket.nextMatching(isDoc));
    await plain.socket.nextMatching(isDoc);
    // The client's copy drifts (a bug, a lost frame): the next delta won't rebuild.
    reader.doc = { seq: reader.doc!.seq, data: { ...(reader.doc!.data as object), narrative: "tampered" } };
    expect((await update(id, dmToken, { turn: "2" })).status).toBe(200);
    const bad = await first.socket.nextMatching(isDoc);
    const expected = (await plain.socket.nextMatching(isDoc)).structured_data;
    expect(reader.read(bad)).toMatchObject({ ok: false, code: "DELTA_CHECKSUM" });
    // What the SDK does: drop the connection, resume from the last frame it accepted.
    const cursor = reader.doc!.seq;
    first.socket.close();
    const epoch = bad.epoch as string;
    const again: TestSocket = await open(`/ws/campaign/player?campaign=${id}&token=${await token({ sub: first.sub, name: first.sub })}&delta=1&since=${cursor}&epoch=${epoch}`);
    const replayed = await again.nextMatching(isDoc);
    expect(replayed.seq).toBe(bad.seq);
    expect(replayed.delta).toBeUndefined();
    expect(reader.read(replayed)).toEqual({ ok: true, data: expected });
    expect(await again.nextMatching((f) => f.type === "recovered")).toMatchObject({ recovered: true });
    // The server can't know this new socket holds the base: the next document goes whole, then deltas.
    expect((await update(id, dmToken, { turn: "3" })).status).toBe(200);
    const next = await again.nextMatching(isDoc);
    expect(next.delta).toBeUndefined();
    expect(reader.read(next)).toEqual({ ok: true, data: (await plain.socket.nextMatching(isDoc)).structured_data });
    expect((await update(id, dmToken, { turn: "4" })).status).toBe(200);
    const after = await again.nextMatching(isDoc);
    expect(after.delta).toBeDefined();
    expect(reader.read(after)).toEqual({ ok: true, data: (await plain.socket.nextMatching(isDoc)).structured_data });
  });
});
