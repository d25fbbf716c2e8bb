import { expect, it } from "vitest";
// The server's one table of close codes (the repo's src/core, never shipped with the package): the
// SDK keeps its own copy so the package needs no server code, and this test keeps the two equal.
import { CloseCode } from "../../../src/core/closeCodes";
import { CLOSE_CODES } from "./closePolicy.js";

it("CLOSE_CODES names exactly the server's close codes, plus 1006", () => {
  const { ABNORMAL, ...server } = CLOSE_CODES;
  expect(ABNORMAL).toBe(1006);
  expect(server).toEqual({
    NORMAL: CloseCode.normal,
    IDLE: CloseCode.idle,
    INVALID_TOKEN: CloseCode.invalidToken,
    FORBIDDEN: CloseCode.forbidden,
    NOT_FOUND: CloseCode.notFound,
    ABUSE: CloseCode.abuse,
    ROOM_FULL: CloseCode.full,
    MAX_AGE: CloseCode.maxAge,
    TOO_SLOW: CloseCode.tooSlow,
  });
  // And no server code is missing from the client's table.
  expect(new Set(Object.values(server))).toEqual(new Set(Object.values(CloseCode)));
});
