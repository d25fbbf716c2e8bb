// What the worker's isolate keeps alive, by where it was allocated: V8's sampling heap profiler
// (HeapProfiler.startSampling over workerd's inspector) reports, for a sample of allocations, the
// stack that made each one still live when the profile is read. Read after a full GC, it says which
// code's allocations the heap holds: a line of versions nobody needs shows as the function that
// made them (bench/ROLL-COST.md, stop 42: the lobby's KeyedRecord versions, 86 MB at 1,000 games).

/**
 * Live bytes by source file and by function (self: the allocating frame; inclusive: any frame on
 * its stack), from `HeapProfiler.getSamplingProfile`'s profile. `where(callFrame)` names a frame's
 * file (rollProfile.mjs maps the bundle's lines back to src/).
 */
export function liveBySite(profile, where, top = 20) {
  const files = new Map();
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  const add = (m, k, n) => m.set(k, (m.get(k) ?? 0) + n);
  const walk = (node, stack) => {
    const f = node.callFrame;
    const file = where(f);
    const key = `${f.functionName || "(anonymous)"} ${file}${f.url ? `:${f.lineNumber + 1}` : ""}`;
    const here = stack.includes(key) ? stack : [...stack, key];
    if (node.selfSize) {
      total += node.selfSize;
      add(files, file, node.selfSize);
      add(self, key, node.selfSize);
      for (const k of here) add(inclusive, k, node.selfSize);
    }
    for (const c of node.children ?? []) walk(c, here);
  };
  walk(profile.head, []);
  const mb = (n) => Math.round(n / 1e4) / 100;
  const rank = (m) => [...m].filter(([k]) => !k.startsWith("(root)")).sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, n]) => ({ name, mb: mb(n) }));
  return { sampledLiveMb: mb(total), files: rank(files), functions: rank(self), inclusive: rank(inclusive) };
}
