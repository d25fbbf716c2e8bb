/**
 * Kept only for src/room/remote/remoteSide.ts (the lead's file, changing now), which still
 * imports refusesOverHttp from here: switch that import to ./refusal.ts and delete this file.
 */
export { refusesOverHttp, type RefusalStyle } from "./refusal.ts";
