import { describe, expect, it } from "vitest";
import { CloseCode } from "../core/closeCodes.ts";
import { parseCursor } from "./flowControl.ts";
import type { FakeSocket } from "./testing/fakeHost.ts";
import { RoomHarness, settle, user } from "./testing/roomHarness.ts";

const ann = user("ann");
const bob = user("bob");
const cat = user("cat");

/** A client's side of flow control: counts what it read (frames, `string.length`), as the SDK does. */
class Reader {
  frames = 0;
  chars = 0;
  constructor(readonly ws: FakeSocket) {}
  /** Reads everything sent so far. */
  read(): number {
    const got = this.ws.outgoing.splice(0);
    this.frames += got.length;
    for (const t of got) this.chars += t.length;
    return got.length;
  }
  cursor(h: RoomHarness, family: "type" | "event" = "type"): void {
    const body = { frames: this.frames, chars: this.chars };
    h.room.message(this.ws, JSON.stringify(family === "type" ? { type: "cursor", ...body } : { event: "cursor", data: body }));
  }
}

/** `n` broadcasts from `sender`, paced under its rate budget; `each` runs after every one. */
function burst(h: RoomHarness, sender: FakeSocket, n: number, each?: (i: number) => void, stepMs = 150): void {
  for (let i = 0; i < n; i++) {
    h.clock.advance(stepMs);
    h.room.message(sender, JSON.stringify({ type: "inc" }));
    sender.outgoing.splice(0);
    each?.(i);
  }
}

/**
 * One `count` broadcast frame is ~60 characters: bounds of a few KB cut after a few dozen.
 * [F3]'s 4,000 characters per 60 s: a burst (one frame per 150 ms, ~24,000/min) is fast; one frame
 * every 2 s (~1,800/min) is slow.
 */
const small = (limits: Record<string, number | null>) => ({ limits: { maxUnackedBytes: 2_000, maxUnackedFrames: 1_000, maxSilentBytes: 4_000, silentWindowMs: 60_000, ...limits } });

describe("[F1] the cursor control frame", () => {
  it("[F1] parses in both families, and nothing else is a cursor", () => {
    expect(parseCursor('{"type":"cursor","frames":3,"chars":120}')).toEqual({ frames: 3, chars: 120 });
    expect(parseCursor('{"event":"cursor","data":{"frames":3,"chars":120}}')).toEqual({ frames: 3, chars: 120 });
    for (const t of ['{"type":"cursor","frames":-1,"chars":0}', '{"type":"cursor","frames":1.5,"chars":0}', '{"type":"cursor"}', '{"type":"inc","note":"cursor"}', '{"event":"cursor","data":null}', "cursor", `{"type":"cursor","frames":1,"chars":1,"pad":"${"x".repeat(200)}"}`]) {
      expect(parseCursor(t)).toBeNull();
    }
  });

  it("[F1] a cursor is answered by nothing, never logged, never reaches the kind, and costs no rate budget at 10/s", () => {
    const h = new RoomHarness().create();
    const a = h.connect(ann);
    const head = h.store.head();
    for (let i = 0; i < 100; i++) {
      h.clock.advance(100);
      expect(h.send(a, i % 2 ? { type: "cursor", frames: 0, chars: 0 } : { event: "cursor", data: { frames: 0, chars: 0 } })).toEqual([]);
    }
    expect(a.closed).toBeNull();
    expect(h.store.head()).toBe(head);
    // The rate budget is untouched: a full burst of commands still goes through.
    for (let i = 0; i < 30; i++) expect(h.send(a, { type: "noop", id: `n${i}` })[0]).toMatchObject({ type: "ack" });
  });

  it("[F1] cursors flooded faster than every 100 ms take from the rate budget, and a flood is closed 4008", () => {
    const h = new RoomHarness().create();
    const a = h.connect(ann);
    for (let i = 0; i < 100 && !a.closed; i++) h.room.message(a, '{"type":"cursor","frames":0,"chars":0}');
    expect(a.closed?.code).toBe(CloseCode.abuse);
  });
});

describe("[F2] a socket that acknowledges is bounded by its unacknowledged backlog", () => {
  it("[F2] a socket that keeps acknowledging stays open, however much it is sent in total", () => {
    const h = new RoomHarness().create(small({}));
    const sender = h.connect(cat);
    const r = new Reader(h.connect(ann));
    r.cursor(h);
    burst(h, sender, 300, (i) => {
      if (i % 10 === 0) {
        r.read();
        r.cursor(h);
      }
    });
    r.read();
    expect(r.ws.closed).toBeNull();
    expect(r.chars).toBeGreaterThan(10 * 2_000);
  });

  it("[F2] one that stops acknowledging is closed 4011 at the bound, and resumes; the others keep receiving", async () => {
    // [F3] off: the other socket here never reads nor pings.
    const h = new RoomHarness().create(small({ maxSilentBytes: null }));
    const sender = h.connect(cat);
    const other = h.connect(bob);
    const r = new Reader(h.connect(ann));
    r.read();
    r.cursor(h);
    let closedAt = -1;
    burst(h, sender, 60, (i) => {
      if (r.ws.closed && closedAt < 0) closedAt = i;
    });
    expect(r.ws.closed).toEqual({ code: CloseCode.tooSlow, reason: "Too far behind" });
    // Closed by the frame that took its backlog past 2,000 characters, not later.
    const sentBeforeClose = r.ws.outgoing.reduce((n, t) => n + t.length, 0);
    expect(sentBeforeClose).toBeGreaterThan(2_000);
    expect(sentBeforeClose - r.ws.outgoing.at(-1)!.length).toBeLessThanOrEqual(2_000);
    // The others got every broadcast, before and after.
    expect(other.take().filter((f) => f.type === "count")).toHaveLength(60);
    await settle();
    // Its user left (presence: the leave ran after the fan-out that found it).
    burst(h, sender, 1);
    expect(h.room.connections()).toMatchObject({ total: 2 });
    // It reconnects and resumes from where its client got to.
    const last = JSON.parse(r.ws.outgoing.at(-1)!) as { seq: number; epoch: string };
    const again = h.connectResult(ann, { since: String(last.seq), epoch: last.epoch }).ws;
    expect(again.take().at(-1)).toMatchObject({ recovered: true });
  });

  it("[F2] the bound in wire frames applies too (maxUnackedFrames)", () => {
    const h = new RoomHarness().create(small({ maxUnackedBytes: null, maxUnackedFrames: 20 }));
    const sender = h.connect(cat);
    const r = new Reader(h.connect(ann));
    r.cursor(h);
    burst(h, sender, 25);
    expect(r.ws.closed?.code).toBe(CloseCode.tooSlow);
    expect(r.ws.outgoing).toHaveLength(21);
  });

  it("[F2] a cursor can only acknowledge what was sent: acking ahead makes no room", () => {
    const h = new RoomHarness().create(small({}));
    const sender = h.connect(cat);
    const a = h.connect(ann);
    h.send(a, { type: "cursor", frames: 0, chars: 0 });
    // Claims a million characters read before they were sent: clamped to what was sent (nothing).
    h.clock.advance(200);
    h.send(a, { type: "cursor", frames: 1_000_000, chars: 1_000_000 });
    burst(h, sender, 60);
    expect(a.closed?.code).toBe(CloseCode.tooSlow);
  });

  it("[F2] after a wake-up tracking starts over and the next cursor sets the baseline: no false cut", () => {
    const h = new RoomHarness().create(small({}));
    const sender = h.connect(cat);
    const r = new Reader(h.connect(ann));
    r.cursor(h);
    burst(h, sender, 20, () => {
      r.read();
      r.cursor(h);
    });
    h.evict();
    burst(h, sender, 200, (i) => {
      if (i % 10 === 0) {
        r.read();
        r.cursor(h);
      }
    });
    expect(r.ws.closed).toBeNull();
  });
});

describe("[F3] sockets that never acknowledge (the seeds' clients)", () => {
  it("[F3] a silent listener is not cut below maxSilentBytes, nor while it pings or speaks, however much it gets in total", () => {
    const h = new RoomHarness().create(small({}));
    const sender = h.connect(cat);
    const quiet = h.connect(bob);
    const pinger = h.connect(ann);
    const talker = h.connect(user("dan"));
    burst(h, sender, 50, () => quiet.outgoing.splice(0));
    expect(quiet.closed).toBeNull();
    burst(h, sender, 300, (i) => {
      quiet.outgoing.splice(0);
      // Every 30 frames: a text `ping` the runtime answered, and a frame sent to the room.
      if (i % 30 === 0) {
        h.host.pongs.set(pinger, h.clock.t);
        h.send(talker, { type: "noop" });
      }
    });
    expect(pinger.closed).toBeNull();
    expect(talker.closed).toBeNull();
    expect(pinger.outgoing.filter((t) => t.includes('"count"'))).toHaveLength(350);
  });

  it("[F3] a socket that neither reads, acknowledges nor pings is closed 4011 after maxSilentBytes; the others are not", () => {
    const h = new RoomHarness().create(small({}));
    const sender = h.connect(cat);
    const stalled = h.connect(bob);
    const pinger = h.connect(ann);
    burst(h, sender, 200, (i) => {
      if (i % 30 === 0) h.host.pongs.set(pinger, h.clock.t);
    });
    expect(stalled.closed?.code).toBe(CloseCode.tooSlow);
    // What the socket got since its connect's first frames (taken by the harness) and up to the close.
    const chars = stalled.outgoing.reduce((n, t) => n + t.length, 0);
    expect(chars).toBeGreaterThan(3_500);
    expect(chars).toBeLessThan(4_200);
    expect(pinger.closed).toBeNull();
  });

  it("[F3] a silent listener sent slowly (under maxSilentBytes per silentWindowMs) is never cut, however much it gets in total", () => {
    const h = new RoomHarness().create(small({}));
    const sender = h.connect(cat);
    const slow = h.connect(bob);
    // One frame every 2 s for 20 minutes: ~1,800 characters a minute, ~36,000 in all (9x the bound).
    burst(h, sender, 600, undefined, 2_000);
    expect(slow.closed).toBeNull();
    expect(slow.outgoing.reduce((n, t) => n + t.length, 0)).toBeGreaterThan(8 * 4_000);
    // The same listener is cut as soon as the room speeds up past the bound within the window.
    burst(h, sender, 100);
    expect(slow.closed?.code).toBe(CloseCode.tooSlow);
  });

  it("[F3] the window slides: a fast spell shorter than the bound, then a pause, then another, is not cut", () => {
    const h = new RoomHarness().create(small({}));
    const sender = h.connect(cat);
    const quiet = h.connect(bob);
    for (let k = 0; k < 6; k++) {
      burst(h, sender, 40); // ~2,400 characters in 6 s
      h.clock.advance(120_000); // two windows of quiet: the spell has slid out
    }
    expect(quiet.closed).toBeNull();
    expect(quiet.outgoing.reduce((n, t) => n + t.length, 0)).toBeGreaterThan(3 * 4_000);
    // Two spells within one window add up: cut.
    burst(h, sender, 40);
    h.clock.advance(10_000);
    burst(h, sender, 40);
    expect(quiet.closed?.code).toBe(CloseCode.tooSlow);
  });

  it("[F3] with every bound null, nothing is counted or cut", () => {
    const h = new RoomHarness().create({ limits: { maxUnackedBytes: null, maxUnackedFrames: null, maxSilentBytes: null } });
    const sender = h.connect(cat);
    const stalled = h.connect(bob);
    const r = new Reader(h.connect(ann));
    r.cursor(h);
    burst(h, sender, 300);
    expect(stalled.closed).toBeNull();
    expect(r.ws.closed).toBeNull();
  });
});
