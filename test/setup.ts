import { applyD1Migrations, env } from "cloudflare:test";
import { afterEach } from "vitest";
import { closeClients } from "./helpers/games.ts";

// Idempotent: D1 migrations that already ran are skipped.
await applyD1Migrations(env.DIRECTORY, env.TEST_MIGRATIONS);

// Games sockets live on gateways: every test's sockets are closed, and their closes heard, before the next.
afterEach(closeClients);
