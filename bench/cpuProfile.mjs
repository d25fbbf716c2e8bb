// A sampled V8 CPU profile (Chrome DevTools' .cpuprofile, as workerd's inspector returns it):
// each node's sampled time, and the inclusive time of named frames (a sample counts for a name
// when a frame of that name is anywhere on its stack, once per sample).

/** Nodes by id, each node's parent, and the microseconds sampled in each node. */
export function indexProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  return { byId, parent, dt };
}

/** Microseconds of samples with a frame named each of `names` on their stack. */
export function inclusiveTimes({ byId, parent, dt }, names) {
  const inclusive = Object.fromEntries(names.map((p) => [p, 0]));
  for (const [id, us] of dt) {
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const name = byId.get(n).callFrame.functionName;
      if (name in inclusive && !seen.has(name)) {
        inclusive[name] += us;
        seen.add(name);
      }
    }
  }
  return inclusive;
}
