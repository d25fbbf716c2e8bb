import type { CommandKind } from "../../core/kind.ts";
import { admit } from "./admit";
import { presence } from "./presence";
import { apply } from "./rules";
import { tabletopCommand, tabletopConfig } from "./schema";
import type { TabletopCommand } from "./schema";
import { initTabletopState } from "./state";
import type { TabletopState } from "./state";
import { view } from "./view";
import { HISTORY_ON_JOIN, welcome } from "./welcome";

/** Seed 002: a DM and players sharing chat, server-rolled dice, narration, whispers, turns and combat. */
export const tabletopKind: CommandKind<TabletopState, TabletopCommand> = {
  name: "tabletop",
  command: tabletopCommand,
  config: tabletopConfig,
  init: initTabletopState,
  apply,
  view,
  sockets: { presence, admit, welcome, historyOnJoin: HISTORY_ON_JOIN },
};

export type { TabletopCommand } from "./schema";
export type { TabletopState, Player, Combatant, CombatState } from "./state";
export type { TabletopView } from "./view";
export type { DiceRoll } from "./dice";
export { rollDice, parseDiceFormula, DICE_LIMITS } from "./dice";
