import type { Actor } from "../core/kind.ts";

/** The Worker itself, when it issues commands on a caller's behalf after checking them (e.g. REGISTER_PLAYER). */
export const WORKER_ACTOR: Actor = { userId: "hearth:worker", name: "Hearth", role: "admin", service: true, scopes: ["rooms:admin"] };
