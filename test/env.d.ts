import type { D1Migration } from "cloudflare:test";
import type { Env as HearthEnv } from "../src/http/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends HearthEnv {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
