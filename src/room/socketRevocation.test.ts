import { describe, expect, it } from "vitest";
import type { Attachment } from "./connections.ts";
import type { ConnectRequest } from "./rpc.ts";
import { SocketRevocation } from "./socketRevocation.ts";

/** A D1 stand-in that records the statements of each batch and finds no revocation. */
function fakeDb() {
  const db = {
    statements: [] as string[],
    prepare: (sql: string) => ({ bind: (...args: unknown[]) => ({ sql, args }) }),
    async batch(statements: { sql: string; args: unknown[] }[]) {
      db.statements.push(...statements.map((s) => `${s.sql.split(" ")[0]} ${s.args.slice(0, 2).join(",")}`));
      return statements.map(() => ({ results: [] }));
    },
  };
  return db;
}

const req = (userId: string, extra: Partial<ConnectRequest> = {}): ConnectRequest => ({ roomId: "r", actor: { userId, name: userId, role: "member", service: false, scopes: [] }, params: {}, expiresAt: null, jti: "j", ...extra });
const att = (userId: string, extra: Partial<Attachment> = {}): Attachment => ({ v: 1, connId: "c", actor: { userId, name: userId, role: "member", service: false, scopes: [] }, params: {}, connectedAt: 0, seenAt: 0, expiresAt: null, jti: "j", ...extra });

describe("SocketRevocation [V4] [V5]", () => {
  const setup = (held: Record<string, number>) => {
    const db = fakeDb();
    const work: Promise<unknown>[] = [];
    const revocation = new SocketRevocation({ db: db as unknown as D1Database, room: { holds: (u) => held[u] ?? 0, revoke: () => 0 }, name: () => "room-a", keepAlive: (w) => work.push(w), log: { error: () => {} } as never });
    return { db, revocation, settled: () => Promise.all(work) };
  };

  it("lists a user's first socket and forgets the row with the last; a follower is neither", async () => {
    const { db, revocation, settled } = setup({ bob: 1 });
    expect(revocation.first(req("ann"))).toBe(true);
    expect(revocation.first(req("bob"))).toBe(false); // already holds one
    expect(revocation.first(req("cy", { following: true }))).toBe(false);
    revocation.track(req("ann"));
    revocation.untrack({ deserializeAttachment: () => att("ann") });
    revocation.untrack({ deserializeAttachment: () => att("bob") }); // bob still holds a socket here
    revocation.untrack({ deserializeAttachment: () => att("cy", { following: true }) });
    await settled();
    // The record goes alone (insert and its read); the forget waits for it and goes next.
    expect(db.statements).toEqual(["INSERT ann,j", "SELECT u:ann,j:j", "DELETE ann,j"]);
  });

  it("reads the token before admitting only when the worker left it to the room", async () => {
    const { db, revocation } = setup({});
    expect(await revocation.refusal(req("ann"))).toBeNull();
    expect(db.statements).toEqual([]);
    expect(await revocation.refusal(req("ann", { revocation: { refuse: "close" } }))).toBeNull();
    expect(db.statements).toEqual(["SELECT u:ann,j:j"]);
  });
});
