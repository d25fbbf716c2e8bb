import type { CommandKind } from "../../core/kind.ts";
import { questAuth } from "./auth.ts";
import { questAdmit, questPresence } from "./presence";
import { applyQuest } from "./rules";
import type { QuestCommand } from "./schema";
import { questCommandSchema, questConfigSchema } from "./schema";
import type { QuestState } from "./state";
import { initQuest } from "./state";
import { questView } from "./view";

/** The quest runtime of seed 000 as a Hearth kind. See README.md for the rules. */
export const questKind: CommandKind<QuestState, QuestCommand> = {
  name: "quest",
  command: questCommandSchema,
  config: questConfigSchema,
  init: initQuest,
  apply: applyQuest,
  authorize: questAuth,
  view: questView,
  sockets: { presence: questPresence, admit: questAdmit },
};

export type { QuestDelta, QuestDeltaType } from "./deltas";
export type { QuestSnapshot, SnapshotNode, SnapshotObject } from "./view";
export type { QuestState } from "./state";
export type { QuestCommand, QuestConfig, QuestDefinition, RuntimeEvent } from "./schema";
export { questDefinitionSchema, questConfigSchema, questCommandSchema, runtimeEventSchema } from "./schema";
export { POSITION_INTERVAL_MS } from "./rules";
