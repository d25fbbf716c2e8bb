import type { CommandAuth } from "../../core/kind.ts";
import { SCOPES } from "../../core/scopes.ts";

/** Runtime events a service sends for a player need a publishing scope; players need none (seed 000). */
const publishing = { anyOf: [SCOPES.publish, SCOPES.admin], services: true, code: "FORBIDDEN", message: `A service needs the ${SCOPES.publish} scope to send runtime events.` } as const;

/**
 * Who may send which quest command, decided once by the pipeline's
 * authorize stage. Team membership is decided by `POST /api/teams[/:code/join]`,
 * so only the worker, as a rooms:admin service, registers players.
 */
export const questAuth: CommandAuth = {
  OBJECT_ARRIVE: publishing,
  NODE_COMPLETE: publishing,
  PUZZLE_SUBMIT: publishing,
  ACTION_ATTEMPT: publishing,
  ACTION_RESULT: publishing,
  BATCH: publishing,
  player_state_update: publishing,
  REGISTER_PLAYER: { anyOf: [SCOPES.admin], code: "FORBIDDEN", message: `Only a ${SCOPES.admin} service may register players.` },
};
