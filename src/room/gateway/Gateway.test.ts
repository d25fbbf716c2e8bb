import { describe, expect, it } from "vitest";
import { consoleLogger } from "../logger.ts";
import type { GatewayInput, PushBatch, PushMark, RemoteConnected } from "../rpc.ts";
import { connTag, Gateway, MAX_FOLLOWS, sourceTag, type GatewaySocket } from "./Gateway.ts";
import { memoryPushLedger } from "./pushLedger.ts";

class FakeSocket implements GatewaySocket {
  sent: string[] = [];
  closed: { code?: number; reason?: string } | null = null;
  #att: unknown = null;
  tags: string[] = [];
  constructor(readonly failing = false) {}
  send(text: string) {
    if (this.failing) throw new Error("WebSocket is closing");
    this.sent.push(text);
  }
  close(code?: number, reason?: string) {
    this.closed = { code, reason };
  }
  serializeAttachment(v: unknown) {
    this.#att = v;
  }
  deserializeAttachment() {
    return this.#att;
  }
}

function gateway(answers: (PushBatch | undefined)[] = []) {
  const sockets: FakeSocket[] = [];
  const inputs: { source: string; items: GatewayInput[]; applied?: PushMark }[] = [];
  const admitted: RemoteConnected = { ok: true, idleTimeoutMs: null, kind: "relay" };
  /** What the gateway kept alive (follows, its channels' sends); `settled()` waits for all of it, and what that started. */
  const work: Promise<unknown>[] = [];
  const settled = async () => {
    while (work.length > 0) await Promise.all(work.splice(0));
  };
  const gw = new Gateway<FakeSocket>({
    name: "r:gw:0",
    accept: (ws, tags) => {
      ws.tags = tags;
      sockets.push(ws);
    },
    sockets: (tag) => (tag === undefined ? sockets : sockets.filter((s) => s.tags.includes(tag))),
    autoPongAt: () => null,
    source: (name) => ({
      remoteConnect: async () => admitted,
      remoteInput: async (_gw: string, items: GatewayInput[], applied?: PushMark) => {
        inputs.push({ source: name, items, ...(applied ? { applied } : {}) });
        const push = answers.shift();
        return push ? { ok: true as const, push } : { ok: true as const };
      },
    }),
    routeOf: () => null,
    heartbeatOf: () => null,
    ledger: memoryPushLedger(),
    keepAlive: (w) => void work.push(w),
    setAlarm: async () => undefined,
    now: () => 0,
    wait: async () => undefined,
    newId: (() => {
      let n = 0;
      return () => `c${++n}`;
    })(),
    log: consoleLogger,
  });
  return { gw, sockets, inputs, settled };
}

const req = { roomId: "r", actor: { userId: "u", name: "u", role: "member", service: false, scopes: [] }, params: {}, expiresAt: null };

describe("Gateway ([S1])", () => {
  it("a socket that throws on send is closed and its room told; the rest of the push still goes out, and a retry applies nothing again", async () => {
    const { gw, sockets, inputs } = gateway();
    const bad = new FakeSocket(true);
    const good = new FakeSocket();
    expect((await gw.connect(req, "r", bad)).ok).toBe(true);
    expect((await gw.connect(req, "r", good)).ok).toBe(true);
    expect(sockets.map((s) => s.tags)).toEqual([
      [connTag("c1"), sourceTag("r")],
      [connTag("c2"), sourceTag("r")],
    ]);
    const push = { source: "r", incarnation: "i", push: 1, gateway: "r:gw:0", items: [{ t: "send" as const, conns: ["c1", "c2"], frame: "F1" }] };
    expect(gw.push(push)).toEqual({ ok: true });
    expect(good.sent).toEqual(["F1"]);
    expect(bad.closed).toMatchObject({ code: 1011 });
    expect(gw.push(push)).toEqual({ ok: true, duplicate: true });
    expect(good.sent).toEqual(["F1"]);
    await Promise.resolve();
    await Promise.resolve();
    expect(inputs.flatMap((i) => i.items)).toContainEqual({ conn: "c1", closed: true });
  });

  it("a push carrying the riding push before it (`prior`) applies that first, unless it already did, then itself", async () => {
    const { gw } = gateway();
    const ws = new FakeSocket();
    expect((await gw.connect(req, "r", ws)).ok).toBe(true);
    const at = (push: number, frame: string) => ({ source: "r", incarnation: "i", push, gateway: "r:gw:0", items: [{ t: "send" as const, conns: ["c1"], frame }] });
    // Its answer was lost: the prior push was never applied here.
    expect(gw.push({ ...at(2, "F2"), prior: at(1, "F1") })).toEqual({ ok: true });
    expect(ws.sent).toEqual(["F1", "F2"]);
    // Its answer arrived: the prior push is not applied twice.
    gw.push(at(3, "F3"));
    expect(gw.push({ ...at(4, "F4"), prior: at(3, "F3") })).toEqual({ ok: true });
    expect(ws.sent).toEqual(["F1", "F2", "F3", "F4"]);
    // The whole call again (its own answer lost): nothing twice.
    expect(gw.push({ ...at(4, "F4"), prior: at(3, "F3") })).toEqual({ ok: true, duplicate: true });
    expect(ws.sent).toEqual(["F1", "F2", "F3", "F4"]);
  });

  it("refuses a push meant for another gateway", () => {
    const { gw } = gateway();
    expect(gw.push({ source: "r", incarnation: "i", push: 1, gateway: "r:gw:9", items: [] })).toMatchObject({ ok: false, code: "NOT_THIS_GATEWAY" });
  });

  it("applies a push that rides on an input's answer, once, and says so in its next input call", async () => {
    const push = { source: "r", incarnation: "i", push: 7, gateway: "r:gw:0", items: [{ t: "send" as const, conns: ["c1"], frame: "F7" }] };
    const { gw, inputs } = gateway([push, push]);
    const ws = new FakeSocket();
    expect((await gw.connect(req, "r", ws)).ok).toBe(true);
    const att = gw.attachment(ws)!;
    const settle = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    gw.message(ws, att, "roll");
    await settle();
    expect(ws.sent).toEqual(["F7"]);
    expect(inputs[0]).toEqual({ source: "r", items: [{ conn: "c1", data: "roll" }] });
    // The same push again (its ack was lost): not sent twice; the next call names it as applied.
    gw.message(ws, att, "roll again");
    await settle();
    expect(ws.sent).toEqual(["F7"]);
    expect(inputs[1]).toEqual({ source: "r", items: [{ conn: "c1", data: "roll again" }], applied: { incarnation: "i", push: 7 } });
  });

  it("[S6] keeps at most MAX_FOLLOWS followed streams per socket: the oldest is let go, and its room hears the socket left", async () => {
    const { gw, inputs } = gateway();
    const ws = new FakeSocket();
    expect((await gw.connect(req, "r", ws)).ok).toBe(true);
    const streams = Array.from({ length: MAX_FOLLOWS + 1 }, (_, i) => `game:${i}`);
    streams.forEach((stream, i) => gw.push({ source: "r", incarnation: "i", push: i + 1, gateway: "r:gw:0", items: [{ t: "follow", conn: "c1", stream }] }));
    for (let i = 0; i < 50; i++) await Promise.resolve();
    expect(gw.attachment(ws)!.follows).toEqual(streams.slice(1));
    expect(inputs.filter((x) => x.source === "game:0").flatMap((x) => x.items)).toEqual([{ conn: "c1", closed: true }]);
    // A frame pushed by the stream let go no longer reaches the socket.
    gw.push({ source: "game:0", incarnation: "g", push: 1, gateway: "r:gw:0", items: [{ t: "send", conns: ["c1"], frame: "late" }] });
    expect(ws.sent).toEqual([]);
  });

  it("a socket its room closes (a lobby's revoke) leaves the rooms it follows at once, and what it sends after goes nowhere", async () => {
    const { gw, inputs, settled } = gateway();
    const ws = new FakeSocket();
    expect((await gw.connect(req, "r", ws)).ok).toBe(true);
    gw.push({ source: "r", incarnation: "i", push: 1, gateway: "r:gw:0", items: [{ t: "follow", conn: "c1", stream: "game:1" }] });
    await settled();
    expect(gw.attachment(ws)!.follows).toEqual(["game:1"]);
    gw.push({ source: "r", incarnation: "i", push: 2, gateway: "r:gw:0", items: [{ t: "close", conn: "c1", code: 4001, reason: "Token revoked" }] });
    expect(ws.closed).toEqual({ code: 4001, reason: "Token revoked" });
    await settled();
    // The game hears the socket left; the lobby, which closed it, is not told.
    expect(inputs.filter((x) => x.source === "game:1").flatMap((x) => x.items)).toEqual([{ conn: "c1", closed: true }]);
    expect(inputs.filter((x) => x.source === "r").flatMap((x) => x.items)).toEqual([]);
    // A client that never echoes the close: its frames reach no room.
    gw.message(ws, gw.attachment(ws)!, JSON.stringify({ type: "bigger_dice.roll", room_id: "x" }));
    await settled();
    expect(inputs.flatMap((x) => x.items).filter((i) => "data" in i)).toEqual([]);
  });

  it("a frame for a room hosted here holds its socket's event until that room has it; one for a room elsewhere doesn't wait for the round trip", async () => {
    const { gw, inputs, settled } = gateway();
    const here = new FakeSocket();
    const far = new FakeSocket();
    expect((await gw.connect(req, "r:gw:0/game:x", here)).ok).toBe(true);
    expect((await gw.connect(req, "r", far)).ok).toBe(true);
    // The runtime reads a socket's next frame once its event ends: held only while the room is in place.
    const held = gw.message(here, gw.attachment(here)!, "roll");
    expect(held).toBeInstanceOf(Promise);
    await held;
    expect(inputs.map((i) => [i.source, i.items.length])).toEqual([["r:gw:0/game:x", 1]]);
    expect(gw.message(far, gw.attachment(far)!, "hello")).toBeNull();
    await settled();
    expect(inputs.map((i) => i.source)).toEqual(["r:gw:0/game:x", "r"]);
  });
});
