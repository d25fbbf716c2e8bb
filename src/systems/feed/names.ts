import { objectName, ROOM_ID } from "../../core/objectName.ts";

/** The feed a socket or publish names when it names none (`/ws/feed`, seed 003 has one stream). */
export const DEFAULT_FEED = "default";

/** Feed names: the same alphabet as room ids (no `:`, which separates an object's gateways). */
export const FEED_NAME = ROOM_ID;

/** The feed's room (`feed:<feed>`); its gateways are `feed:<feed>:gw:<k>`. */
export const rootName = (feed: string) => objectName("feed", feed);
