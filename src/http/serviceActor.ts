import type { Actor } from "../core/kind.ts";
import { SCOPES } from "../core/scopes.ts";

/** The Worker itself, when it issues commands on a caller's behalf after checking them (e.g. REGISTER_PLAYER). */
export const WORKER_ACTOR: Actor = { userId: "hearth:worker", name: "Hearth", role: "admin", service: true, scopes: [SCOPES.admin] };
