/**
 * The order in which the worker tries a feed's shards for a new subscriber.
 * Newest first: shards fill in the order they were added, so the newest one
 * is the likeliest to have room (and older ones that drained are found
 * after it). A resuming subscriber (`since`) tries first the shards whose log
 * reaches back to its cursor (added at or before `since`), so its replay
 * comes from the shard's own copy instead of a recovered:false snapshot.
 */
export function candidateShards(shards: readonly { shard: number; from: number }[], since?: number): number[] {
  const newestFirst = [...shards].sort((a, b) => b.shard - a.shard);
  if (since === undefined) return newestFirst.map((s) => s.shard);
  const covering = newestFirst.filter((s) => s.from <= since);
  const rest = newestFirst.filter((s) => s.from > since);
  return [...covering, ...rest].map((s) => s.shard);
}
