import { describe, expect, it } from "vitest";
import { open } from "../../../../test/helpers/socket.ts";

describe("tabletop routes", () => {
  it("[H10] a malformed session id is refused in the worker with 4004, before the token is looked at", async () => {
    // Before, it reached an object named `tabletop:invalid`, and a bad token there answered 4001.
    const s = await open("/ws/game/bad.id?token=garbage");
    expect(await s.waitClosed()).toEqual({ code: 4004, reason: "Session not found" });
  });
});
