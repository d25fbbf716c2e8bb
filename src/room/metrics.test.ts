import { describe, expect, it } from "vitest";
import { defineSystem } from "../core/system.ts";
import { METRICS_FLUSH_MS, METRICS_TAIL_MS, RoomMetrics } from "./metrics.ts";
import { POINT_DOUBLES } from "./metricsPoint.ts";
import { fixtureKind, fixtureSystem } from "./testing/fixtureKind.ts";
import { RoomHarness, settle, user } from "./testing/roomHarness.ts";

const counted = defineSystem({ ...fixtureSystem, kind: { ...fixtureKind, limits: { maxConnections: 2 } } });
const ann = user("ann");
const bob = user("bob");

describe("room metrics", () => {
  it("[M1] counts connections, frames and bytes both ways, and errors by code", async () => {
    const h = new RoomHarness({ systems: [counted] }).create();
    const a = h.connectResult(ann).ws;
    const b = h.connectResult(bob).ws;
    expect(h.connectResult(user("cy")).result).toMatchObject({ ok: false, error: { code: "ROOM_FULL" } });
    const frame = JSON.stringify({ type: "inc" });
    h.room.message(a, frame);
    h.room.message(a, "{nope");
    h.room.submit(ann, { type: "inc" });
    h.room.submit(ann, { type: "nope" });
    await settle();
    const m = h.room.metrics();
    if (!m.ok) throw new Error(m.code);
    expect(m.connections).toEqual({ opened: 2, closed: 0, refused: 1, peak: 2, current: 2 });
    expect(m.messages.in).toBe(2);
    expect(m.messages.http).toBe(2);
    expect(m.bytes.in).toBe(frame.length + "{nope".length);
    expect(m.errors).toEqual({ total: 3, byCode: { ROOM_FULL: 1, BAD_JSON: 1, BAD_COMMAND: 1 } });
    // Everything sent is counted: snapshots, joins, both `count` broadcasts to two sockets, the error.
    const out = [...a.outgoing, ...b.outgoing];
    expect(out.filter((f) => f.includes('"type":"count"'))).toHaveLength(4);
    expect(m.messages.out).toBe(out.length);
    expect(m.bytes.out).toBe(out.reduce((n, f) => n + new TextEncoder().encode(f).byteLength, 0));
  });

  it("[M2] broadcast latency runs from the worker's arrival time to the last send, per input", () => {
    const h = new RoomHarness({ systems: [counted] }).create();
    h.connect(ann);
    h.connect(bob);
    h.room.submit(ann, { type: "inc" }, { receivedAt: h.clock.t - 30 });
    h.room.submit(ann, { type: "inc" }, { receivedAt: h.clock.t - 3 });
    h.room.submit(ann, { type: "noop" }, { receivedAt: h.clock.t - 3000 });
    const m = h.room.metrics();
    if (!m.ok) throw new Error(m.code);
    expect(m.broadcasts).toMatchObject({ count: 2, recipients: 4, latencyMs: { total: 33, max: 30, mean: 16.5, p50: 5, p95: 50 } });
  });

  it("[M1] figures survive eviction: an event writes them at most every flush interval, the alarm writes the tail TAIL_MS after the last write", async () => {
    const h = new RoomHarness({ systems: [counted] }).create();
    const t0 = h.clock.t;
    const a = h.connect(ann);
    h.send(a, { type: "noop" });
    await settle();
    // The first tick flushed nothing yet (the interval starts at load); the alarm is set for the
    // tail, 30 s after the last write and not 5: a busy room's own events write every 5 s.
    expect(h.store.metrics()).toBeNull();
    expect(h.host.alarmAt).toBe(t0 + METRICS_TAIL_MS);
    h.clock.advance(METRICS_FLUSH_MS);
    expect(await h.fireAlarm()).toBe(false);
    // The first event 5 s on writes them.
    h.send(a, { type: "noop" });
    await settle();
    expect((JSON.parse(h.store.metrics()!) as { messages: { in: number } }).messages.in).toBe(2);
    // What is counted after that write and before the room falls quiet is the tail: the alarm writes it.
    h.send(a, { type: "noop" });
    await settle();
    expect((JSON.parse(h.store.metrics()!) as { messages: { in: number } }).messages.in).toBe(2);
    h.clock.advance(METRICS_TAIL_MS);
    expect(await h.fireAlarm()).toBe(true);
    h.evict();
    const m = h.room.metrics();
    if (!m.ok) throw new Error(m.code);
    expect(m.messages.in).toBe(3);
    expect(m.connections.opened).toBe(1);
  });

  it("[M3] every save hands the host one point of deltas since the last save (Analytics Engine), indexed by room", async () => {
    const h = new RoomHarness().create();
    const a = h.connect(ann);
    h.send(a, { type: "inc" });
    h.room.submit(ann, { type: "nope" });
    await settle();
    expect(h.host.points).toEqual([]);
    h.clock.advance(METRICS_TAIL_MS);
    await h.fireAlarm();
    expect(h.host.points).toHaveLength(1);
    const [first] = h.host.points;
    const col = (p: typeof first, name: (typeof POINT_DOUBLES)[number]) => p!.doubles[POINT_DOUBLES.indexOf(name)];
    expect(first!.indexes).toEqual(["room-1"]);
    expect(first!.blobs).toEqual(["room-1", "fixture", "BAD_COMMAND"]);
    expect(col(first, "connections_open")).toBe(1);
    expect(col(first, "connections_opened")).toBe(1);
    expect(col(first, "messages_in")).toBe(1);
    expect(col(first, "messages_http")).toBe(1);
    expect(col(first, "errors")).toBe(1);
    expect(first!.doubles).toHaveLength(POINT_DOUBLES.length);
    // The next point holds only what happened since: deltas, so SUM() over any window is right.
    h.send(a, { type: "inc" });
    await settle();
    h.clock.advance(METRICS_TAIL_MS);
    await h.fireAlarm();
    const second = h.host.points[1];
    expect(col(second, "messages_in")).toBe(1);
    expect(col(second, "connections_opened")).toBe(0);
    expect(col(second, "errors")).toBe(0);
    expect(second!.blobs[2]).toBe("");
  });

  it("keeps unknown-looking codes out of the table and saves a prototype-less copy", () => {
    let saved = "";
    const m = new RoomMetrics(null, 0, (json) => (saved = json));
    m.error("__proto__");
    m.error("lower");
    m.flush(METRICS_FLUSH_MS);
    const back = new RoomMetrics(saved, 0, () => {});
    expect(back.report(0).errors).toEqual({ total: 2, byCode: { OTHER: 2 } });
  });
});
