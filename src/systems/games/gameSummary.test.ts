import { describe, expect, it } from "vitest";
import { changedSummary, summaryOf } from "./gameSummary.ts";
import type { RoomRecord } from "./wire.ts";

const player = (userId: string, score = 0) => ({ userId, username: `u${userId}`, score, isReady: true, joinedAt: 1, connected: true });
const room: RoomRecord = {
  roomId: "room_1", roomName: "R", gameType: "bigger_dice", status: "InProgress", hostId: "1",
  players: [player("1"), player("2")], spectators: [{ userId: "3", username: "u3" }],
  currentTurn: "1", turnNumber: 1, createdAt: 0, startedAt: 1, finishedAt: null, winnerId: null,
};

describe("changedSummary", () => {
  // The rule it replaces: encode both summaries and compare. Each case must agree with it.
  const byEncoding = (a: RoomRecord, b: RoomRecord) => JSON.stringify(summaryOf(a)) !== JSON.stringify(summaryOf(b));
  const cases: [string, RoomRecord][] = [
    ["the same record", room],
    ["a roll: scores and the turn move", { ...room, players: [player("1", 4), player("2", 2)], currentTurn: "2", turnNumber: 2 }],
    ["the spectators copied, same people", { ...room, spectators: [{ userId: "3", username: "u3" }] }],
    ["a spectator more", { ...room, spectators: [...room.spectators, { userId: "4", username: "u4" }] }],
    ["a spectator renamed", { ...room, spectators: [{ userId: "3", username: "three" }] }],
    ["the game ended", { ...room, status: "Finished", currentTurn: null }],
    ["a player left", { ...room, players: [player("1")] }],
    ["a player renamed", { ...room, players: [player("1"), { ...player("2"), username: "two" }] }],
    ["the host moved", { ...room, hostId: "2" }],
  ];
  for (const [name, next] of cases) {
    it(`${name}: ${byEncoding(room, next) ? "changed" : "unchanged"}, as encoding both says`, () => {
      expect(changedSummary(room, next)).toBe(byEncoding(room, next));
    });
  }
  it("says a roll leaves the summary as it was, and a join does not", () => {
    expect(changedSummary(room, cases[1]![1])).toBe(false);
    expect(changedSummary(room, { ...room, players: [...room.players, player("5")] })).toBe(true);
  });
});
