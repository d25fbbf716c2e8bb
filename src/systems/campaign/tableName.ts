import { objectName } from "../../core/objectName.ts";

export const TABLE_KIND = "campaign.table";

/** Every table's object name starts so (`campaign.table:<key>`). */
export const TABLE_PREFIX = `${TABLE_KIND}:`;

/**
 * The table's object for a DM key (`campaign.table:<key>`). The key is the DM's user id when it is
 * a room id (A-Z a-z 0-9 _ -, at most 64), else a digest of it (the edge computes it: edge/table.ts).
 */
export const tableObjectName = (dmKey: string) => objectName(TABLE_KIND, dmKey);
