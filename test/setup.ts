import { applyD1Migrations, env } from "cloudflare:test";

// Idempotent: D1 migrations that already ran are skipped.
await applyD1Migrations(env.DIRECTORY, env.TEST_MIGRATIONS);
