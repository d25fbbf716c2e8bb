import { objectName, ROOM_ID, shardObjectName } from "../../core/objectName.ts";

/** The feed a socket or publish names when it names none (`/ws/feed`, seed 003 has one stream). */
export const DEFAULT_FEED = "default";

/** Feed names: the same alphabet as room ids, so a name can never contain the `:` that separates shards. */
export const FEED_NAME = ROOM_ID;

/** The root object: takes publishes, assigns seqs, knows its shards (`feed:<feed>`). */
export const rootName = (feed: string) => objectName("feed", feed);

/** Shard `k` of a feed: holds subscribers' sockets and mirrors the root's seqs (`feed:<feed>:shard:<k>`). */
export const shardName = (feed: string, k: number) => shardObjectName(rootName(feed), k);
