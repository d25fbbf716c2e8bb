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
    const rev = { applied: 0, closed: 0, closeMs: [] as number[] };
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const r = (t.meta() as { revocations?: typeof rev }).revocations;
        if (r) (rev.applied += r.applied), (rev.closed += r.closed), rev.closeMs.push(...r.closeMs);
      }
    }
    if (rev.applied > 0) {
      const sorted = [...rev.closeMs].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
      console.log(`revocations: ${rev.applied} applied, ${rev.closed} sockets closed, time to the last close p50 ${at(0.5)} ms, max ${at(1)} ms`);
    }
    const sockets = { slowReadersHeld: 0, tokensRefreshed: 0 };
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const f = (t.meta() as { sockets?: typeof sockets }).sockets;
        if (f) (sockets.slowReadersHeld += f.slowReadersHeld), (sockets.tokensRefreshed += f.tokensRefreshed);
      }
    }
    if (sockets.slowReadersHeld + sockets.tokensRefreshed > 0) {
      console.log(`sockets: ${sockets.slowReadersHeld} slow readers held at their bound (4011), ${sockets.tokensRefreshed} tokens refreshed on open sockets`);
    }
    console.log(
      `reliability: ${sum.cases} cases tried, ${sum.refused} refused correctly, ${sum.frames} frames fuzzed, ${sum.crashes} crashes, ${sum.leaks} leaks, ${sum.lost} lost, ${sum.doubled} doubled`,
    );
  }
}
