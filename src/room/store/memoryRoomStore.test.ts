import { describe, it } from "vitest";
import { MemoryRoomStore } from "./memoryRoomStore.ts";
import { roomStoreContract } from "./roomStoreContract.ts";

describe("MemoryRoomStore passes the RoomStore contract", () => {
  for (const [name, check] of Object.entries(roomStoreContract)) it(name, () => check(new MemoryRoomStore()));
});
