import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Every test runs inside workerd with the real bindings from wrangler.toml
// (SQLite Durable Objects, D1 with our migrations applied by test/setup.ts).
// RELIABILITY_SCALE (`npm run test:reliability`) runs only the reliability suite, its case
// counts multiplied (test/reliability/scale.ts), its slow files too, and prints its figures.
const reliability = process.env.RELIABILITY_SCALE;

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
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
      setupFiles: ["./test/setup.ts"],
      include: reliability ? ["test/reliability/**/*.test.ts", "test/reliability/**/*.slow.ts"] : ["src/**/*.test.ts", "test/**/*.test.ts"],
      // Integration tests open real sockets inside workerd; on a shared, loaded CI machine a
      // storm of 250 sequential connects can take well over vitest's 5 s default. Timeouts
      // here are a hang guard, never a speed assertion (speed lives in bench/).
      testTimeout: 60_000,
      hookTimeout: 60_000,
      ...(reliability ? { reporters: ["default", "./test/reliability/figuresReporter.ts"], testTimeout: 600_000 } : {}),
    },
  };
});
