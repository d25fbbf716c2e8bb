import { runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { recordedPoints } from "./helpers/recordedPoints.ts";
import { eventually } from "./helpers/objects.ts";
import { newRoom, publish, stubFor } from "./helpers/rooms.ts";
import { api, open } from "./helpers/socket.ts";
import { adminToken, token } from "./helpers/tokens.ts";
import { POINT_DOUBLES } from "../src/room/metricsPoint.ts";

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("observability (issue 16)", () => {
  it("[M1] every room keeps figures, readable by admins, and [M3] sends them to the Analytics Engine binding when saved", async () => {
    // The room's clock is faked (Date only) so the 5 s until the figures' save pass at once and its
    // alarm runs by hand; the isolate's token verifier is made first, under the real clock (it
    // keeps the Date.now it was made with, src/http/auth/verifierFor.ts).
    await api("GET", "/api/rooms/none-such", await adminToken());
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    const roomId = await newRoom();
    const s = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "ann" })}`);
    await s.next();
    for (let i = 0; i < 3; i++) await publish(roomId, { i });
    const room = await api("GET", `/api/admin/rooms/${roomId}`, await adminToken());
    expect(room.json.metrics).toMatchObject({ connections: { current: 1, opened: 1 }, messages: { http: 3 }, broadcasts: { count: 3, recipients: 3 } });
    // The figures are saved (and exported) at most every 5 s, the tail by the alarm.
    vi.advanceTimersByTime(5_000);
    await runDurableObjectAlarm(stubFor(roomId));
    const point = await eventually(async () => {
      const p = recordedPoints().find((x) => x.indexes[0] === roomId);
      if (!p) throw new Error("no point yet");
      return p;
    }, 12_000);
    expect(point.blobs.slice(0, 2)).toEqual([roomId, "relay"]);
    expect(point.doubles[POINT_DOUBLES.indexOf("messages_http")]).toBe(3);
    expect(point.doubles[POINT_DOUBLES.indexOf("connections_open")]).toBe(1);
    s.close();
  }, 20_000);

  it("a refused request logs one structured line with its request id (the X-Request-Id it answered with) and the room", async () => {
    const warn = vi.spyOn(console, "warn");
    const missing = `gone-${crypto.randomUUID().slice(0, 8)}`;
    const res = await api("GET", `/api/rooms/${missing}`, await adminToken());
    expect(res.status).toBe(404);
    const id = res.headers.get("x-request-id");
    expect(id).toBeTruthy();
    const lines = warn.mock.calls.map((c) => { try { return JSON.parse(String(c[0])) as Record<string, unknown>; } catch { return null; } }).filter((l) => l?.event === "request");
    expect(lines).toContainEqual(expect.objectContaining({ level: "warn", requestId: id, method: "GET", path: `/api/rooms/${missing}`, status: 404, code: "ROOM_NOT_FOUND", room: missing }));
  });
});
