import { describe, expectTypeOf, it } from "vitest";
import type { RelayCommand } from "../../../../src/systems/relay/relayKind";
import type { QuestDelta as ServerQuestDelta } from "../../../../src/systems/quest/deltas";
import type { Player } from "../../../../src/systems/tabletop/state";
import type { roomJoinedFrame, playerListFrame } from "../../../../src/systems/tabletop/frame";
import type { toGamePlayer, toGameRoom } from "../../../../src/systems/games/wire";
import type { LobbyCommand } from "../../../../src/systems/games/lobbyCommands";
import type { CampaignCommand } from "../../../../src/systems/campaign/schema";
import type { RuntimeEvent } from "../../../../src/systems/quest/schema";
import type { campaignFrames, gamesFrames, questFrames, relayFrames, tabletopFrames } from "../index.js";

// Type-level only: the client's frame types against the server's own builders and schemas.
describe("client frame types match the server's", () => {
  it("relay: every server-accepted command is a RelayClientFrame", () => {
    expectTypeOf<RelayCommand>().toExtend<relayFrames.RelayClientFrame>();
  });

  it("quest: deltas are the server's QuestDelta exactly; runtime events fit", () => {
    expectTypeOf<questFrames.QuestDelta>().toEqualTypeOf<ServerQuestDelta>();
    expectTypeOf<RuntimeEvent>().toExtend<questFrames.QuestRuntimeEvent>();
  });

  it("tabletop: Player is the server's; room_joined / player_list bodies fit", () => {
    expectTypeOf<tabletopFrames.TabletopPlayer>().toEqualTypeOf<Player>();
    type RoomJoined = Extract<tabletopFrames.TabletopServerFrame, { event: "room_joined" }>;
    type PlayerList = Extract<tabletopFrames.TabletopServerFrame, { event: "player_list" }>;
    expectTypeOf<RoomJoined["data"]>().toHaveProperty("players").toEqualTypeOf<Player[]>();
    expectTypeOf<PlayerList["data"]["total_players"]>().toBeNumber();
    // The server's builders return the loose TabletopFrame; its event is a string.
    expectTypeOf<ReturnType<typeof roomJoinedFrame>["event"]>().toBeString();
    expectTypeOf<ReturnType<typeof playerListFrame>["data"]>().toExtend<Record<string, unknown>>();
  });

  it("games: toGameRoom / toGamePlayer produce GameRoom / GamePlayer", () => {
    expectTypeOf<ReturnType<typeof toGameRoom>>().toEqualTypeOf<gamesFrames.GameRoom>();
    expectTypeOf<ReturnType<typeof toGamePlayer>>().toEqualTypeOf<gamesFrames.GamePlayer>();
    // The fixed lobby commands (moves are open-ended on the server) are client frames.
    expectTypeOf<Extract<LobbyCommand, { type: "create_room" | "join_room" | "auth" }>>().toExtend<gamesFrames.GamesClientFrame>();
  });

  it("campaign: every server-accepted command is a CampaignClientFrame", () => {
    expectTypeOf<CampaignCommand>().toExtend<campaignFrames.CampaignClientFrame>();
  });
});
