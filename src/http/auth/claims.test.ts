import { describe, expect, it } from "vitest";
import { actorFor } from "./actorFor.ts";
import { hearthClaims, scopesOf } from "./claims.ts";

describe("claims", () => {
  it("[H5] a `rooms` claim keeps its own `__proto__` entry as a room id and carries no prototype", () => {
    const claims = hearthClaims.parse({ sub: "u", rooms: JSON.parse('{"__proto__":"viewer","A":"member"}') });
    expect(Object.getPrototypeOf(claims.rooms)).toBeNull();
    expect(Object.keys(claims.rooms!).sort()).toEqual(["A", "__proto__"]);
    expect(actorFor(claims, "__proto__")).toMatchObject({ role: "viewer" });
    expect(actorFor(claims, "A")).toMatchObject({ role: "member" });
  });

  it("[H5] a token confined to room A gets nothing for constructor, toString, __proto__, hasOwnProperty", () => {
    const claims = hearthClaims.parse({ sub: "u", rooms: { A: "member" } });
    for (const id of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) expect(actorFor(claims, id), id).toBeNull();
  });

  it("[H5] a malformed `rooms` claim is refused", () => {
    expect(hearthClaims.safeParse({ sub: "u", rooms: ["A"] }).success).toBe(false);
    expect(hearthClaims.safeParse({ sub: "u", rooms: { A: 1 } }).success).toBe(false);
    expect(hearthClaims.safeParse({ sub: "u", rooms: "A" }).success).toBe(false);
  });

  it("[H1] scopesOf keeps only Hearth's service scopes", () => {
    expect(scopesOf(hearthClaims.parse({ sub: "u", scope: "openid profile email" }))).toEqual([]);
    expect(scopesOf(hearthClaims.parse({ sub: "u", scope: "openid  events:publish rooms:admin:x" }))).toEqual(["events:publish"]);
    expect(scopesOf(hearthClaims.parse({ sub: "u", scope: ["rooms:admin", "offline_access"] }))).toEqual(["rooms:admin"]);
    expect(actorFor(hearthClaims.parse({ sub: "u", scope: "openid" }), "A")).toMatchObject({ service: false, scopes: [] });
  });
});
