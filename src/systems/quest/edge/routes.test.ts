import { describe, expect, it } from "vitest";
import { connect } from "../../../../test/helpers/socket.ts";
import { token } from "../../../../test/helpers/tokens.ts";

describe("quest routes", () => {
  it("[H10] a malformed team code offered `hearth` is closed with 4004 (a browser could not read the 404)", async () => {
    const r = await connect(`/ws/quest?teamCode=0&token=${await token({ sub: "a" })}`, { headers: { "Sec-WebSocket-Protocol": "hearth" } });
    expect(r.response.status).toBe(101);
    expect(await r.socket!.waitClosed()).toEqual({ code: 4004, reason: "Session not found" });
    expect((await connect(`/ws/quest?teamCode=0&token=${await token({ sub: "a" })}`)).response.status).toBe(404);
  });
});
