import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_SECRET } from "@hearth/server/testing";

// Two projects:
// - `unit`: the poll's rules and a real Room over the memory store, in plain Node (src/**/*.test.ts).
// - `workers`: the Worker itself inside workerd with real Durable Objects (test/**/*.test.ts).
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", environment: "node", include: ["src/**/*.test.ts"] } },
      {
        plugins: [
          cloudflareTest({
            main: "./src/worker.ts",
            wrangler: { configPath: "./wrangler.toml" },
            // The secret testToken() signs with; production verifies real tokens (README, Deploy).
            miniflare: { bindings: { HEARTH_JWT_SECRET: TEST_SECRET } },
          }),
        ],
        test: { name: "workers", include: ["test/**/*.test.ts"] },
      },
    ],
  },
});
