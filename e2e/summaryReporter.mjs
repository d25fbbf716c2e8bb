// A node:test reporter that writes {"passed": N, "failed": N} once the run ends;
// scripts/e2e.mjs turns it into the closing `N passed, N failed` line.
// Counts tests, not suites (describe blocks), and a test file that crashes
// outside any test (reported as a failed test named after the file) as a failure.
export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    if (event.data.details?.type === "suite") continue;
    if (event.type === "test:pass") {
      if (!event.data.skip && !event.data.todo) passed++;
    } else {
      failed++;
    }
  }
  yield `${JSON.stringify({ passed, failed })}\n`;
}
