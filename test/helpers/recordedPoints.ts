import type { MetricsPoint } from "../../src/room/metricsPoint.ts";

/**
 * A stand-in for the Analytics Engine binding (production only; wrangler.toml):
 * the test worker gives every room this dataset, and tests read what rooms
 * wrote. Kept on globalThis: the objects and the tests share the isolate.
 */
const g = globalThis as { __hearthPoints?: MetricsPoint[] };

export const recordedPoints = (): MetricsPoint[] => (g.__hearthPoints ??= []);

export const recordingDataset = { writeDataPoint: (point: MetricsPoint) => void recordedPoints().push(structuredClone(point)) };
