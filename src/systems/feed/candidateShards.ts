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

/**
 * How many shards a placing worker asks the root to add (`grow {seen, add}`) after its
 * `round`-th pass found every shard full (round 0 first). A lone subscriber at a full feed adds
 * one; a worker that keeps finding the newest shards full is in a crowd, so it asks for more
 * each round: twice as many as the round before, never more than the feed already has
 * (doubling at most: 0 -> 1 -> 2 -> 4 -> 8 ...), so a crowd at a fresh feed is placed in a few
 * rounds without adding far more shards than it fills.
 */
export function growBy(seen: number, round: number): number {
  return Math.max(1, Math.min(seen, 2 ** Math.min(round, 8)));
}
