import type { MetricsCounters } from "./metrics.ts";
import type { Logger } from "./logger.ts";

/** The shape Workers Analytics Engine takes (`AnalyticsEngineDataPoint`), without depending on its types here. */
export interface MetricsPoint {
  indexes: string[];
  blobs: string[];
  doubles: number[];
}

/**
 * The order of `doubles` in every point Hearth writes: the column names to
 * query (`double1` is connections open, ...). Append only: a dashboard's
 * queries name columns by position.
 */
export const POINT_DOUBLES = [
  "connections_open",
  "connections_opened",
  "connections_closed",
  "connections_refused",
  "messages_in",
  "messages_out",
  "messages_http",
  "bytes_in",
  "bytes_out",
  "errors",
  "broadcasts",
  "broadcast_recipients",
  "broadcast_latency_ms_total",
] as const;

/** The order of `blobs`: `blob1` the room's object name, `blob2` its kind, `blob3` its busiest error code in the interval. */
export const POINT_BLOBS = ["room", "kind", "top_error"] as const;

/**
 * One Analytics Engine data point: what changed in a room between two saves
 * of its counters (deltas, so SUM() over any window is right), plus the open
 * sockets now. Indexed (sampled) by room, so one busy room can't crowd the
 * others out of the sample.
 */
export function metricsPoint(room: string, kind: string, now: MetricsCounters, before: MetricsCounters, open: number): MetricsPoint {
  const d = (a: number, b: number) => Math.max(0, a - b);
  let topError = "";
  let topCount = 0;
  for (const [code, n] of Object.entries(now.errors.byCode)) {
    const delta = d(n, before.errors.byCode[code] ?? 0);
    if (delta > topCount) [topError, topCount] = [code, delta];
  }
  return {
    // Index values are capped at 96 bytes; object names are ASCII.
    indexes: [room.slice(0, 96)],
    blobs: [room, kind, topError],
    doubles: [
      open,
      d(now.connections.opened, before.connections.opened),
      d(now.connections.closed, before.connections.closed),
      d(now.connections.refused, before.connections.refused),
      d(now.messages.in, before.messages.in),
      d(now.messages.out, before.messages.out),
      d(now.messages.http, before.messages.http),
      d(now.bytes.in, before.bytes.in),
      d(now.bytes.out, before.bytes.out),
      d(now.errors.total, before.errors.total),
      d(now.broadcasts.count, before.broadcasts.count),
      d(now.broadcasts.recipients, before.broadcasts.recipients),
      d(now.broadcasts.latencyMs.total, before.broadcasts.latencyMs.total),
    ],
  };
}

/** `metrics.writeDataPoint`, never thrown: figures are best effort and never cost a room an input. */
export function bestEffort(metrics: { writeDataPoint(point: MetricsPoint): void }, log: Logger): (point: MetricsPoint) => void {
  return (point) => {
    try {
      metrics.writeDataPoint(point);
    } catch (err) {
      log.warn("metrics_export_failed", { err: String(err) });
    }
  };
}
