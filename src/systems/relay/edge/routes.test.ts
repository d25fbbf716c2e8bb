import { describe, expect, it } from "vitest";
import { connect } from "../../../../test/helpers/socket.ts";
import { token } from "../../../../test/helpers/tokens.ts";

describe("relay routes", () => {
  it("[H10] a malformed room id offered `hearth` is closed with 4004 (a browser could not read the 400)", async () => {
    const r = await connect(`/ws/rooms/bad.id?token=${await token({ sub: "a" })}`, { headers: { "Sec-WebSocket-Protocol": "hearth" } });
    expect(r.response.status).toBe(101);
    expect(await r.socket!.waitClosed()).toEqual({ code: 4004, reason: "Session not found" });
    // Without `hearth` the JSON refusal stays as it was.
    expect((await connect(`/ws/rooms/bad.id?token=${await token({ sub: "a" })}`)).response.status).toBe(400);
  });
});
