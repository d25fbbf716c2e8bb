import { describe, expect, it } from "vitest";
import { tokenSubject, userSubject, type RevocationRow } from "../../room/revocations.ts";
import { RevocationCheck } from "./revocationCheck.ts";

/** A D1 stand-in answering the one query the check makes, counting the queries. */
function fakeDb(rows: RevocationRow[]) {
  const db = {
    queries: 0,
    prepare: () => ({
      bind: (...args: unknown[]) => ({
        all: async () => {
          db.queries++;
          return { results: rows.filter((r) => (r.subject === args[0] || r.subject === args[1]) && r.expires_at > (args[2] as number)) };
        },
      }),
    }),
  };
  return db;
}

describe("RevocationCheck [V5]", () => {
  const now = 1_000_000_000_000;
  it("asks D1 at most once a second per token while not revoked, and sees a new row after that", async () => {
    const rows: RevocationRow[] = [];
    const db = fakeDb(rows);
    const check = new RevocationCheck(1_000);
    const t = { sub: "ann", jti: "j1", iat: now / 1000 - 5 };
    expect(await check.revoked(db as unknown as D1Database, t, now)).toBe(false);
    rows.push({ subject: userSubject("ann"), revoked_at: now + 10, expires_at: now + 3_600_000 });
    expect(await check.revoked(db as unknown as D1Database, t, now + 500)).toBe(false); // cached
    expect(db.queries).toBe(1);
    expect(await check.revoked(db as unknown as D1Database, t, now + 1_000)).toBe(true);
    expect(await check.revoked(db as unknown as D1Database, t, now + 2_000)).toBe(true);
    expect(db.queries).toBe(2);
  });
  it("invalidate() makes a revocation made in this isolate apply at once", async () => {
    const rows: RevocationRow[] = [];
    const db = fakeDb(rows) as unknown as D1Database;
    const check = new RevocationCheck(1_000);
    const t = { sub: "bob", jti: "j2" };
    expect(await check.revoked(db, t, now)).toBe(false);
    rows.push({ subject: tokenSubject("j2"), revoked_at: now, expires_at: now + 60_000 });
    check.invalidate();
    expect(await check.revoked(db, t, now + 1)).toBe(true);
  });
});
