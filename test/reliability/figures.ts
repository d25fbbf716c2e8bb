import type { TestContext } from "vitest";

/** What the reliability suite counts; test/reliability/figuresReporter.ts sums them over a run. */
export interface Figures {
  /** Inputs tried: frames, HTTP calls, upgrades, command sequences. */
  cases: number;
  /** Inputs that had to be refused and were, with their documented code. */
  refused: number;
  /** Socket frames (hostile or not) pushed through a room. */
  frames: number;
  /** Throws past the pipeline, INTERNAL answers, hangs. */
  crashes: number;
  /** Frames that reached someone outside their audience (another room, a third party). */
  leaks: number;
  /** Acknowledged changes missing afterwards. */
  lost: number;
  /** Changes applied (or delivered) twice. */
  doubled: number;
}

export const noFigures = (): Figures => ({ cases: 0, refused: 0, frames: 0, crashes: 0, leaks: 0, lost: 0, doubled: 0 });

/**
 * This test's figures, handed to the reporter through the task's meta (which
 * crosses from workerd to the vitest process when the test ends, passed or
 * failed): count into the returned object as the test goes.
 */
export function figuresFor(ctx: TestContext): Figures {
  const figures = noFigures();
  (ctx.task.meta as { figures?: Figures }).figures = figures;
  return figures;
}
