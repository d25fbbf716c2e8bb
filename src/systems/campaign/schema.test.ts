import { describe, expect, it } from "vitest";
import { campaignCommand, structuredData } from "./schema.ts";
import { tableCommand } from "./tableSchema.ts";

describe("campaign schema", () => {
  it("takes the seed's fields, each optional, and keeps unknown top-level keys", () => {
    const data = {
      narrative: "n",
      all_narratives: ["a", { by: "dm", text: "b" }],
      turn: "t",
      status: "s",
      characters: "c",
      turn_info: { current: "Thorn", round: 2 },
      environmental_conditions: "rain",
      immediate_threats: null,
      story_progression: "act 2",
      map: { rooms: 3 },
    };
    expect(structuredData.parse(data)).toEqual(data);
    expect(structuredData.parse({})).toEqual({});
  });

  it("refuses wrong types in the seed's fields and a non-object", () => {
    expect(structuredData.safeParse({ narrative: 1 }).success).toBe(false);
    expect(structuredData.safeParse({ turn_info: 7 }).success).toBe(false);
    expect(structuredData.safeParse([]).success).toBe(false);
    expect(structuredData.safeParse("text").success).toBe(false);
  });

  it("knows the five frames a client may send and nothing else", () => {
    expect(campaignCommand.parse({ type: "campaign_deactivated", structured_data: { x: 1 } })).toEqual({ type: "campaign_deactivated" });
    expect(campaignCommand.safeParse({ type: "campaign_loaded" }).success).toBe(false);
    expect(campaignCommand.safeParse({ type: "player_joined", user_id: "x" }).success).toBe(false);
    expect(campaignCommand.parse({ type: "player_status", status: "away" })).toEqual({ type: "player_status", status: "away" });
  });

  it("at a DM's table, a DM frame may name its campaign; switch and register are Hearth's own", () => {
    expect(tableCommand.parse({ type: "campaign_deactivated", campaign_id: "c-1" })).toEqual({ type: "campaign_deactivated", campaign_id: "c-1" });
    expect(tableCommand.safeParse({ type: "campaign_updated", campaign_id: "a:b", structured_data: {} }).success).toBe(false);
    expect(tableCommand.parse({ type: "switch", campaign_id: "c-2" })).toEqual({ type: "switch", campaign_id: "c-2" });
    expect(tableCommand.safeParse({ type: "register", campaign_id: "c-3" }).success).toBe(false);
  });
});
