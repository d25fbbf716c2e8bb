// `npm start`: wrangler dev reads local secrets from .dev.vars (git-ignored). The first run
// writes one with a random HS256 secret, so POST /dev/token can mint tokens that the Worker
// verifies. Production never sees this file (README, Deploy).
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";

if (!existsSync(".dev.vars")) {
  writeFileSync(".dev.vars", `HEARTH_JWT_SECRET=${randomBytes(32).toString("hex")}\n`);
  console.log("dev-vars: wrote .dev.vars with a fresh local HEARTH_JWT_SECRET");
}
