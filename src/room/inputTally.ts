/** What reached an object, by way in (reads are not counted: figures, snapshots, this tally). */
/** `ride`: a room's push that came in the answer to this gateway's input call ([S1]), not as a `push` call. */
export type InputWay = "connect" | "frame" | "http" | "message" | "remote" | "push" | "ride";

/**
 * How many inputs an object took since it woke (in memory: a cache of load, not a record): what
 * tells where a spread room's work lands ([S5]; the games bench reports the busiest object's
 * share). Counting is an integer add per input.
 */
export class InputTally {
  readonly since = Date.now();
  readonly #counts: Record<InputWay, number> = { connect: 0, frame: 0, http: 0, message: 0, remote: 0, push: 0, ride: 0 };

  add(way: InputWay, n = 1): void {
    this.#counts[way] += n;
  }

  report(): { since: number; inputs: Record<InputWay, number>; total: number } {
    const inputs = { ...this.#counts };
    return { since: this.since, inputs, total: Object.values(inputs).reduce((a, b) => a + b, 0) };
  }
}
