import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("GET /openapi.json", () => {
  it("documents every system's routes from the schemas their validators run", async () => {
    const res = await SELF.fetch("https://hearth.test/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, any>> };
    expect(doc.openapi).toBe("3.1.0");
    // One route of each system, with its body schema, auth and parameters.
    const teams = doc.paths["/api/teams"]!.post;
    expect(teams.requestBody.content["application/json"].schema).toMatchObject({ type: "object", required: expect.arrayContaining(["questId", "playerName", "mode"]) });
    expect(teams.security).toEqual([{ bearer: [] }]);
    const sessions = doc.paths["/api/sessions"]!.post;
    expect(Object.keys(sessions.requestBody.content["application/json"].schema.properties)).toEqual(expect.arrayContaining(["campaign_id", "dm_user_id", "players"]));
    const rooms = doc.paths["/api/rooms"]!.post;
    expect(rooms.security).toEqual([{ bearer: ["rooms:admin"] }]);
    const history = doc.paths["/api/rooms/{roomId}/history"]!.get;
    expect(history.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(["path:roomId", "query:before", "query:limit"]);
    expect(doc.paths["/ws/game/{session_id}"]!.get["x-websocket"]).toBe(true);
  });
});
