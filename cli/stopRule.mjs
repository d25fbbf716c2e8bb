// When a listener (`tail`, `ws`) is done: a frame named --until arrived, or --count frames did.
import { InvalidArgumentError } from "commander";

/** The frame's name in either family (`{type}` or `{event, data}`). */
export const frameName = (frame) => (frame !== null && typeof frame === "object" ? (frame.type ?? frame.event) : undefined);

/** Commander's parser for `--count` / `--timeout`: a positive number, or a clear error. */
export function positiveNumber(value) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("Expected a positive number.");
  return n;
}

/** A counter that says, frame by frame, whether the listener has what it waited for. */
export function stopRule({ until, count }) {
  let seen = 0;
  return {
    /** True once this frame ends the wait. */
    reached(frame) {
      seen++;
      return (until !== undefined && frameName(frame) === until) || (count !== undefined && seen >= count);
    },
    describe: () => (until !== undefined ? `a ${until} frame` : count !== undefined ? `${count} frames` : "the end"),
  };
}
