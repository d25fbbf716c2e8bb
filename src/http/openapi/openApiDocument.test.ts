import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

type Op = Record<string, any>;
const names = (op: Op, where: string) => (op.parameters ?? []).filter((p: { in: string }) => p.in === where).map((p: { name: string }) => p.name);
const schemaOf = (op: Op, status: number) => op.responses[String(status)]?.content?.["application/json"]?.schema;

describe("GET /openapi.json", () => {
  it("documents every system's routes from the schemas their validators run", async () => {
    const res = await SELF.fetch("https://hearth.test/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, Op>> };
    expect(doc.openapi).toBe("3.1.0");
    // One route of each system, with its body schema, auth and parameters.
    const teams = doc.paths["/api/teams"]!.post!;
    expect(teams.requestBody.content["application/json"].schema).toMatchObject({ type: "object", required: expect.arrayContaining(["questId", "playerName", "mode"]) });
    expect(teams.security).toEqual([{ bearer: [] }]);
    const sessions = doc.paths["/api/sessions"]!.post!;
    expect(Object.keys(sessions.requestBody.content["application/json"].schema.properties)).toEqual(expect.arrayContaining(["campaign_id", "dm_user_id", "players"]));
    const rooms = doc.paths["/api/rooms"]!.post!;
    expect(rooms.security).toEqual([{ bearer: ["rooms:admin"] }]);
    const history = doc.paths["/api/rooms/{roomId}/history"]!.get!;
    expect(history.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(["path:roomId", "query:before", "query:limit"]);
    expect(doc.paths["/ws/game/{session_id}"]!.get!["x-websocket"]).toBe(true);
  });

  it("documents the statuses each route answers, with their bodies", async () => {
    const doc = (await (await SELF.fetch("https://hearth.test/openapi.json")).json()) as { paths: Record<string, Record<string, Op>> };
    for (const [path, method] of [["/api/teams", "post"], ["/api/sessions", "post"], ["/api/campaigns", "post"]] as const) {
      expect(schemaOf(doc.paths[path]![method]!, 201), path).toMatchObject({ type: "object" });
      expect(doc.paths[path]![method]!.responses["200"], path).toBeUndefined();
    }
    const publish = doc.paths["/api/feed/events"]!.post!;
    expect(schemaOf(publish, 202)).toMatchObject({ required: ["seq", "epoch"] });
    expect(names(publish, "header")).toEqual(["Idempotency-Key"]);
    expect(schemaOf(publish, 422).properties.error.properties.code.enum).toEqual(["IDEMPOTENCY_KEY_REUSED"]);
    // Errors carry their stable codes: 409 ROOM_EXISTS, 404 QUEST_NOT_FOUND.
    expect(schemaOf(doc.paths["/api/sessions"]!.post!, 409).properties.error.properties.code.enum).toEqual(["ROOM_EXISTS"]);
    expect(schemaOf(doc.paths["/api/teams"]!.post!, 404).properties.error.properties.code.enum).toEqual(["QUEST_NOT_FOUND"]);
    // The quest's runtime events: the events the room takes, not `{}`.
    const events = doc.paths["/api/runtime/session/{sessionId}/events"]!.post!;
    expect(JSON.stringify(events.requestBody.content["application/json"].schema)).toContain("OBJECT_ARRIVE");
    // Sockets: the query parameters the room reads, and the upgrade's answers.
    const game = doc.paths["/ws/game/{session_id}"]!.get!;
    expect(names(game, "query")).toEqual(expect.arrayContaining(["token", "since", "epoch", "batch", "character_id", "character_name"]));
    expect(Object.keys(game.responses)).toEqual(expect.arrayContaining(["101", "426"]));
    expect(game.responses["101"].description).toContain("docs/protocol.md");
    const feed = doc.paths["/ws/feed"]!.get!;
    expect(names(feed, "query")).toEqual(expect.arrayContaining(["feed", "token", "since", "epoch", "compression"]));
    expect(Object.keys(feed.responses)).toEqual(expect.arrayContaining(["101", "401", "404", "426"]));
    expect(names(doc.paths["/ws/campaign/player"]!.get!, "query")).toEqual(expect.arrayContaining(["campaign", "dm"]));
  });
});
