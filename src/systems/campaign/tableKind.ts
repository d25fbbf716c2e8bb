import type { CommandKind } from "../../core/kind.ts";
import { SCOPES } from "../../core/scopes.ts";
import { admitTable } from "./admit.ts";
import { presenceTable } from "./presence.ts";
import { applyTable } from "./rules.ts";
import { DEFAULT_MAX_CONNECTIONS, MAX_FRAME_BYTES } from "./schema.ts";
import { initTable, type TableState } from "./state.ts";
import { tableCommand, tableConfig, type TableCommand } from "./tableSchema.ts";
import { viewTable } from "./view.ts";
import { TABLE_KIND } from "./tableName.ts";
import { welcomeTable } from "./welcome.ts";

export { TABLE_KIND, tableObjectName } from "./tableName.ts";

/**
 * A DM's table (seed 001, issue 23): one object per DM holding every socket of
 * the DM's campaigns (DM and players), the campaigns themselves (invite list,
 * last data) and the one pointer to the active campaign. Every campaign command
 * of the DM (HTTP, DM socket, switch) runs here, one at a time, so exactly one
 * campaign is active whatever the concurrency of switches, and a player socket
 * follows the DM: deactivated (old), loaded (new), then the new one's updates.
 */
export const tableKind: CommandKind<TableState, TableCommand> = {
  name: TABLE_KIND,
  command: tableCommand,
  config: tableConfig,
  init: (config) => initTable(config),
  apply: applyTable,
  view: viewTable,
  // [W1] campaign_loaded / campaign_updated carry the whole structured_data: `?delta=1` sockets may get a delta.
  sockets: { presence: presenceTable, admit: admitTable, welcome: welcomeTable, documents: { types: ["campaign_loaded", "campaign_updated"], field: "structured_data", stream: "campaign_id" } },
  authorize: { register: { anyOf: [SCOPES.admin], message: "Only Hearth registers a campaign with its DM's table." } },
  limits: { maxFrameBytes: MAX_FRAME_BYTES, maxConnections: DEFAULT_MAX_CONNECTIONS },
};

export type { TableState } from "./state.ts";
export type { TableView } from "./view.ts";
