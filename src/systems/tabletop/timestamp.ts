/**
 * ISO-8601 time from the command's fixed clock (ctx.now), the format the
 * seed's `timestamp`/`connected_at` fields use. Never reads the real clock.
 */
export function isoTimestamp(now: number): string {
  return new Date(now).toISOString();
}
