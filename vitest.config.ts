import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Every test runs inside workerd with the real bindings from wrangler.toml
// (SQLite Durable Objects, D1 with our migrations applied by test/setup.ts).
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
          },
        },
      }),
    ],
    test: {
      setupFiles: ["./test/setup.ts"],
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    },
  };
});
