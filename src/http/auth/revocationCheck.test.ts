import { describe, expect, it } from "vitest";
import { tokenSubject, userSubject, type RevocationRow } from "../../room/revocations.ts";
import { RevocationCheck } from "./revocationCheck.ts";

/**
 * A D1 stand-in answering the one query the check makes (`subject IN (...) AND expires_at > ?`),
 * counting the queries and their subjects; `hold()` keeps answers back until `release()`.
 */
function fakeDb(rows: RevocationRow[]) {
  let gate: Promise<void> | null = null;
  let open = () => {};
  const db = {
    queries: 0,
    subjectsPerQuery: [] as number[],
    hold() {
      gate = new Promise((r) => (open = r));
    },
    release() {
      gate = null;
      open();
    },
    prepare: (sql: string) => ({
      bind: (...args: unknown[]) => ({
        all: async () => {
          expect(sql).toContain("subject IN");
          db.queries++;
          const subjects = args.slice(0, -1);
          const now = args.at(-1) as number;
          db.subjectsPerQuery.push(subjects.length);
          // What D1 held when the read ran; the answer may come later.
          const results = rows.filter((r) => subjects.includes(r.subject) && r.expires_at > now);
          if (gate) await gate;
          return { results };
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

describe("RevocationCheck's cache [V5]", () => {
  const now = 1_000_000_000_000;
  it("cached() answers from memory only: undefined until a read, then the read's answer while it holds", async () => {
    const rows: RevocationRow[] = [{ subject: userSubject("eve"), revoked_at: now, expires_at: now + 60_000 }];
    const db = fakeDb(rows);
    const check = new RevocationCheck(1_000);
    const eve = { sub: "eve", iat: now / 1000 - 1 };
    const fay = { sub: "fay" };
    expect(check.cached(eve, now)).toBeUndefined();
    expect(check.cached(fay, now)).toBeUndefined();
    expect(db.queries).toBe(0);
    await check.revoked(db as unknown as D1Database, eve, now);
    await check.revoked(db as unknown as D1Database, fay, now);
    expect(check.cached(eve, now + 30_000)).toBe(true);
    expect(check.cached(fay, now + 999)).toBe(false);
    expect(check.cached(fay, now + 1_000)).toBeUndefined();
    expect(db.queries).toBe(2);
  });
  it("a read that was out when this isolate revoked something does not cache its 'not revoked'", async () => {
    const rows: RevocationRow[] = [];
    const db = fakeDb(rows);
    const check = new RevocationCheck(1_000);
    const t = { sub: "cat", jti: "j3" };
    db.hold();
    const before = check.revoked(db as unknown as D1Database, t, now);
    rows.push({ subject: userSubject("cat"), revoked_at: now, expires_at: now + 60_000 });
    check.invalidate();
    db.release();
    expect(await before).toBe(false); // read before the row was there
    expect(await check.revoked(db as unknown as D1Database, t, now + 1)).toBe(true); // not answered from a stale cache
    expect(db.queries).toBe(2);
  });
});
