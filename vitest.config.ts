import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

// Two projects (vitest `test.projects`):
// - `unit` runs in plain Node: kinds, codecs, the Room over the memory store with the fake
//   host (src/room/testing), the SDK (packages/client: its src and its pack check), protocol and
//   the pure http parts.
// - `workers` runs inside workerd with the real bindings from wrangler.toml (SQLite Durable
//   Objects, D1 with our migrations applied by test/setup.ts): everything under test/ and the
//   few src tests that go through the Worker (`cloudflare:test`).
// RELIABILITY_SCALE (`npm run test:reliability`) runs only the reliability suite, its case
// counts multiplied (test/reliability/scale.ts), its slow files too, and prints its figures.
// HEARTH_SLOW=1 (`npm run test:slow`) runs only the real-time checks under test/slow/.
// HEARTH_ISOLATE=1 gives every test file its own module graph (and, in `workers`, its own workerd)
// again, as before the split: ~10x slower, for hunting a leak between files.
const reliability = process.env.RELIABILITY_SCALE;
const slow = process.env.HEARTH_SLOW === "1";

/** src tests that need workerd: they fetch through the Worker or import `cloudflare:test`. */
const workerdSrc = [
  "src/http/middleware/corsFor.test.ts",
  "src/http/middleware/roomAccess.test.ts",
  "src/http/openapi/openApiDocument.test.ts",
  // A system's edge code (routes, placement) is tested through the Worker.
  "src/systems/*/edge/**/*.test.ts",
];

// A run's JSON report (CI's closing line, scripts/summarize-vitest.mjs) is asked for here rather
// than with --reporter on the command line, which would replace the log-file reporter.
const jsonReport = process.env.HEARTH_TEST_REPORT;

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  const workersInclude = reliability
    ? ["test/reliability/**/*.test.ts", "test/reliability/**/*.slow.ts"]
    : slow
      ? ["test/slow/**/*.test.ts"]
      : ["test/**/*.test.ts", ...workerdSrc];
  const unit: TestProjectInlineConfiguration = {
    test: {
      name: "unit",
      environment: "node",
      // cli/: the `hearth` command line (plain ESM, bin/hearth.mjs).
      include: ["src/**/*.test.ts", "packages/client/src/**/*.test.ts", "packages/client/scripts/**/*.test.mjs", "cli/**/*.test.mjs"],
      exclude: workerdSrc,
      testTimeout: 60_000,
      pool: "threads",
      // One module graph for all files (no test keeps state between files): far less import time.
      isolate: process.env.HEARTH_ISOLATE === "1",
    },
  };
  return {
    test: {
      // Console lines (room logs, the Worker's request log) go to .test-logs/, and to the
      // terminal only for a test that failed.
      silent: "passed-only" as const,
      reporters: [
        "default",
        "./test/support/logFileReporter.ts",
        ...(reliability ? ["./test/reliability/figuresReporter.ts"] : []),
        ...(jsonReport ? [["json", { outputFile: jsonReport }] as ["json", { outputFile: string }]] : []),
      ],
      projects: [
        ...(reliability || slow ? [] : [unit]),
        {
          plugins: [
            cloudflareTest({
              // The real app and systems plus the core's fixture system (test/worker.ts).
              main: "./test/worker.ts",
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  HEARTH_JWT_SECRET: "test-secret-do-not-use-anywhere-else",
                  HEARTH_DEV_AUTH: "1",
                  TEST_MIGRATIONS: migrations,
                  RELIABILITY_SCALE: reliability ?? "1",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            // One workerd (one Miniflare) for all files instead of one per file: files share the
            // objects and the D1 directory, so tests use fresh names and never count global lists.
            isolate: process.env.HEARTH_ISOLATE === "1",
            setupFiles: ["./test/setup.ts"],
            include: workersInclude,
            exclude: reliability || slow ? [] : ["test/slow/**"],
            // Integration tests open real sockets inside workerd; on a shared, loaded CI machine a
            // storm of 250 sequential connects can take well over vitest's 5 s default. Timeouts
            // here are a hang guard, never a speed assertion (speed lives in bench/).
            testTimeout: reliability || slow ? 600_000 : 60_000,
            hookTimeout: 60_000,
          },
        },
      ],
    },
  };
});
