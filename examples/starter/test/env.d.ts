import type { Env as HearthEnv } from "@hearth/server";

// What `env` from cloudflare:test holds: the Worker's bindings (wrangler.toml plus vitest.config.ts).
declare global {
  namespace Cloudflare {
    interface Env extends HearthEnv {}
  }
}
