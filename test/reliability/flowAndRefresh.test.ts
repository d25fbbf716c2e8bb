import { describe, expect, it } from "vitest";
import { joinAs, newRoom, publish } from "../helpers/rooms.ts";
import { open, type TestSocket } from "../helpers/socket.ts";
import { token } from "../helpers/tokens.ts";
import { figuresFor } from "./figures.ts";
import { runs } from "./scale.ts";

/** What figuresReporter.ts prints as the `sockets:` line (issue 24: slow readers, refresh). */
export interface SocketFigures {
  /** Slow readers closed 4011 at their room's bound while their peers got every frame. */
  slowReadersHeld: number;
  /** Fresh tokens accepted on open sockets, each moving the socket's deadline. */
  tokensRefreshed: number;
}

const uid = (p: string) => `${p}-${crypto.randomUUID().slice(0, 8)}`;
const cursorOf = (s: TestSocket) => ({ type: "cursor", frames: s.raw.length, chars: s.raw.reduce((n, t) => n + t.length, 0) });
const meta = (ctx: { task: { meta: object } }): SocketFigures => ((ctx.task.meta as { sockets?: SocketFigures }).sockets ??= { slowReadersHeld: 0, tokensRefreshed: 0 });

describe("reliability: slow readers and long-lived tokens (issue 24)", () => {
  it("[F2] a reader that stops acknowledging is closed 4011 at the bound, every time, and its peer loses nothing", async (ctx) => {
    const figures = figuresFor(ctx);
    const socketFigures = meta(ctx);
    for (let round = 0; round < runs(2); round++) {
      const roomId = await newRoom({ limits: { maxUnackedBytes: 4096, maxSilentBytes: null } });
      const staller = await joinAs(roomId, uid("staller"));
      const peer = await joinAs(roomId, uid("peer"));
      await staller.socket.drain();
      await peer.socket.drain();
      staller.socket.send(cursorOf(staller.socket));
      peer.socket.send(cursorOf(peer.socket));
      const sent = 60;
      for (let i = 0; i < sent; i++) {
        expect((await publish(roomId, `${round}:${i}:${"x".repeat(100)}`)).status).toBe(200);
        await peer.socket.nextMatching((f) => f.type === "publish" && f.data === `${round}:${i}:${"x".repeat(100)}`);
        if (i % 5 === 4) peer.socket.send(cursorOf(peer.socket));
        figures.cases++;
      }
      expect(await staller.socket.waitClosed()).toEqual({ code: 4011, reason: "Too far behind" });
      socketFigures.slowReadersHeld++;
      const got = peer.socket.frames.filter((f) => f.type === "publish").map((f) => f.data);
      figures.lost += sent - new Set(got).size;
      figures.doubled += got.length - new Set(got).size;
      expect(peer.socket.closed).toBeNull();
    }
  });

  it("[K4] fresh tokens presented on an open socket are accepted one after another and move its deadline", async (ctx) => {
    const figures = figuresFor(ctx);
    const socketFigures = meta(ctx);
    const roomId = await newRoom();
    const sub = uid("long");
    const s = await open(`/ws/rooms/${roomId}?token=${await token({ sub, name: sub }, { ttlSec: 60 })}`);
    await s.next();
    let last = 0;
    for (let i = 0; i < runs(5); i++) {
      s.send({ type: "hearth.token", token: await token({ sub, name: sub }, { ttlSec: 120 + i }) });
      const ack = await s.nextMatching((f) => f.type === "hearth.token");
      figures.cases++;
      expect(ack).toMatchObject({ ok: true, expiresAt: expect.any(Number) });
      expect(ack.expiresAt as number).toBeGreaterThan(last);
      last = ack.expiresAt as number;
      socketFigures.tokensRefreshed++;
    }
    expect(s.closed).toBeNull();
  });
});
