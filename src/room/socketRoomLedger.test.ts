import { describe, expect, it } from "vitest";
import { userSubject, tokenSubject, type RevocationRow } from "./revocations.ts";
import { MAX_OPS_PER_BATCH, SocketRoomLedger } from "./socketRoomLedger.ts";

/**
 * A D1 stand-in for the ledger's batches: keeps `socket_rooms` as a set, answers the revocation
 * reads from `revocations`, records each batch's statements; `hold()` keeps a batch's answer back.
 */
function fakeDb(revocations: RevocationRow[] = []) {
  let gate: Promise<void> | null = null;
  let open = () => {};
  const db = {
    rows: new Set<string>(),
    batches: [] as string[][],
    /** How many batches from now fail. */
    failures: 0,
    hold() {
      gate = new Promise((r) => (open = r));
    },
    release() {
      gate = null;
      open();
    },
    prepare: (sql: string) => ({ bind: (...args: unknown[]) => ({ sql, args }) }),
    async batch(statements: { sql: string; args: unknown[] }[]) {
      db.batches.push(statements.map((s) => s.sql.split(" ").slice(0, 2).join(" ")));
      if (db.failures > 0) {
        db.failures--;
        throw new Error("D1 down");
      }
      const results = statements.map(({ sql, args }) => {
        if (sql.startsWith("INSERT")) {
          expect(args.length).toBeLessThanOrEqual(100);
          for (let i = 0; i < args.length; i += 4) db.rows.add(`${args[i]}|${args[i + 1]}|${args[i + 2]}`);
          return { results: [] };
        }
        if (sql.startsWith("DELETE")) {
          db.rows.delete(`${args[0]}|${args[1]}|${args[2]}`);
          return { results: [] };
        }
        expect(args.length).toBeLessThanOrEqual(100);
        const subjects = args.slice(0, -1);
        return { results: revocations.filter((r) => subjects.includes(r.subject) && r.expires_at > (args.at(-1) as number)) };
      });
      if (gate) await gate;
      return results;
    },
  };
  return db;
}

const now = 1_000_000_000_000;
const ledgerOn = (db: ReturnType<typeof fakeDb>, errors: unknown[] = []) => new SocketRoomLedger(db as unknown as D1Database, (err, ops) => errors.push({ err: String(err), ...ops }));

describe("SocketRoomLedger [V4] [V8]", () => {
  it("a storm's records wait for the batch that is out and go together: 1 + 150 records in 3 batches, every row written", async () => {
    const db = fakeDb();
    const ledger = ledgerOn(db);
    db.hold();
    const first = ledger.record({ sub: "u-0", jti: "j" }, "room-a", now);
    const rest = Array.from({ length: 150 }, (_, i) => ledger.record({ sub: `u-${i + 1}`, jti: "j" }, "room-a", now));
    expect(db.batches).toHaveLength(1);
    expect(ledger.waiting).toBe(150);
    db.release();
    expect(await Promise.all([first, ...rest])).toEqual(Array(151).fill(null));
    expect(db.rows.size).toBe(151);
    // The one record alone; then MAX_OPS_PER_BATCH (4 INSERTs of 25 rows, 3 reads of 49 tokens) and the other 50.
    expect(db.batches.map((b) => b.length)).toEqual([2, 4 + 3, 2 + 2]);
    expect(MAX_OPS_PER_BATCH).toBe(100);
  });

  it("keeps op order: a socket's forget after its record, a record after a forget, within one batch", async () => {
    const db = fakeDb();
    const ledger = ledgerOn(db);
    db.hold();
    const warm = ledger.record({ sub: "x", jti: "j" }, "room-a", now);
    const ops = [ledger.record({ sub: "ann", jti: "j" }, "room-a", now), ledger.forget("ann", "j", "room-a"), ledger.forget("bob", "j", "room-a"), ledger.record({ sub: "bob", jti: "j" }, "room-a", now)];
    db.release();
    await Promise.all([warm, ...ops]);
    expect(db.batches[1]).toEqual(["INSERT OR", "DELETE FROM", "DELETE FROM", "INSERT OR", "SELECT subject,"]);
    expect([...db.rows].sort()).toEqual(["bob|j|room-a", "x|j|room-a"]);
  });

  it("answers, for the records a revocation refuses only, until when it refuses them, read in the same batch as the writes", async () => {
    const db = fakeDb([
      { subject: userSubject("ann"), revoked_at: now, expires_at: now + 60_000 },
      { subject: tokenSubject("jb"), revoked_at: now, expires_at: now + 60_000 },
    ]);
    const ledger = ledgerOn(db);
    db.hold();
    const a = ledger.record({ sub: "ann", jti: "ja", iat: now / 1000 - 1 }, "r", now);
    const later = [ledger.record({ sub: "ann", jti: "ja2", iat: now / 1000 + 5 }, "r", now), ledger.record({ sub: "bob", jti: "jb" }, "r", now), ledger.record({ sub: "cy", jti: "jc" }, "r", now)];
    db.release();
    expect(await a).toBe(now + 60_000); // refused until ann's row expires
    // ann's later token (issued after her revocation) passes; bob's token id is revoked; cy is clear.
    expect(await Promise.all(later)).toEqual([null, now + 60_000, null]);
  });

  it("a check reads the revocations with the batch and writes nothing", async () => {
    const db = fakeDb([{ subject: tokenSubject("jz"), revoked_at: now, expires_at: now + 60_000 }]);
    const ledger = ledgerOn(db);
    db.hold();
    const warm = ledger.record({ sub: "w", jti: "jw" }, "r", now);
    const checks = [ledger.check({ sub: "zed", jti: "jz" }, now), ledger.check({ sub: "yan", jti: "jy" }, now)];
    db.release();
    await warm;
    expect(await Promise.all(checks)).toEqual([now + 60_000, null]);
    expect(db.batches[1]).toEqual(["SELECT subject,"]);
    expect([...db.rows]).toEqual(["w|jw|r"]);
  });

  it("a batch that fails is logged once, its records answer 'not revoked' (null), and the next batch goes out", async () => {
    const db = fakeDb();
    const errors: unknown[] = [];
    const ledger = ledgerOn(db, errors);
    db.failures = 1;
    db.hold();
    const first = ledger.record({ sub: "a" }, "r", now);
    const more = [ledger.record({ sub: "b" }, "r", now), ledger.forget("a", undefined, "r")];
    db.release();
    expect(await first).toBeNull();
    expect(await Promise.all(more)).toEqual([null, undefined]);
    expect(errors).toEqual([{ err: "Error: D1 down", records: 1, checks: 0, forgets: 0 }]);
    // The second batch ran after the first failed: b's row is there.
    expect([...db.rows]).toEqual(["b||r"]);
  });

  it("a batch that never answers counts as failed after its time: the connects behind it go on", async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const db = {
      prepare: (sql: string) => ({ bind: (...args: unknown[]) => ({ sql, args }) }),
      batch: (statements: unknown[]) => (++calls === 1 ? new Promise(() => {}) : Promise.resolve(statements.map(() => ({ results: [] })))),
    };
    const ledger = new SocketRoomLedger(db as unknown as D1Database, (err, ops) => errors.push({ err: String(err), ...ops }), 20);
    const stuck = ledger.check({ sub: "a" }, now);
    const behind = ledger.check({ sub: "b" }, now);
    expect(await stuck).toBeNull();
    expect(await behind).toBeNull();
    expect(calls).toBe(2);
    expect(errors).toEqual([{ err: "Error: D1 batch took over 20 ms", records: 0, checks: 1, forgets: 0 }]);
  });
});
