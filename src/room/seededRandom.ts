/**
 * A deterministic uniform [0,1) source for one command: mulberry32 seeded from
 * the room's seed and the command's seq. Same room, same seq, same numbers, so
 * a replayed log rolls the same dice.
 */
export function seededRandom(roomSeed: number, seq: number): () => number {
  let a = (Math.imul(roomSeed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seq, 0xc2b2ae35)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
