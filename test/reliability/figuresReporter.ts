import type { Reporter, TestModule } from "vitest/node";
import { noFigures, type Figures } from "./figures.ts";

/**
 * Prints the reliability suite's one line of figures at the end of a run,
 * summed over every test that reported some (figures.ts `report`).
 */
export default class FiguresReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const sum = noFigures();
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const f = (t.meta() as { figures?: Figures }).figures;
        if (!f) continue;
        for (const k of Object.keys(sum) as (keyof Figures)[]) sum[k] += f[k];
      }
    }
    console.log(
      `reliability: ${sum.cases} cases tried, ${sum.refused} refused correctly, ${sum.frames} frames fuzzed, ${sum.crashes} crashes, ${sum.leaks} leaks, ${sum.lost} lost, ${sum.doubled} doubled`,
    );
  }
}
