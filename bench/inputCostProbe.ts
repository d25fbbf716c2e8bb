// The counting half of bench/inputCost.mjs (issue 26 item 1): Hearth's real Room, pipeline and
// SqliteRoomStore, over Node's own SQLite (node:sqlite) behind a small DurableObjectStorage shim,
// so every statement the store runs is counted. bench/inputCost.mjs bundles this with esbuild and
// runs it in Node; the CPU half of the table is measured in workerd (see that file).
import { DatabaseSync } from "node:sqlite";
import { systemRegistry } from "../src/core/system.ts";
import { Room } from "../src/room/Room.ts";
import { SqliteRoomStore } from "../src/room/store/sqliteRoomStore.ts";
import { FakeHost, FakeSocket } from "../src/room/testing/fakeHost.ts";
import { fixtureSystem } from "../src/room/testing/fixtureKind.ts";
import { quietLog, user } from "../src/room/testing/roomHarness.ts";
import { relaySystem } from "../src/systems/relay/index.ts";

interface Counts {
  statements: number;
  reads: number;
  writes: number;
  rowsWritten: number;
  parse: number;
  stringify: number;
  sends: number;
}
const c: Counts = { statements: 0, reads: 0, writes: 0, rowsWritten: 0, parse: 0, stringify: 0, sends: 0 };
const zero = () => Object.assign(c, { statements: 0, reads: 0, writes: 0, rowsWritten: 0, parse: 0, stringify: 0, sends: 0 });

// Every JSON encode and decode on the path, whoever calls it (codec, store, pipeline).
const { parse, stringify } = JSON;
JSON.parse = ((...a: Parameters<typeof parse>) => (c.parse++, parse(...a))) as typeof parse;
JSON.stringify = ((...a: Parameters<typeof stringify>) => (c.stringify++, stringify(...a))) as typeof stringify;

/** ctx.storage as SqliteRoomStore uses it: sql.exec (cursor with toArray and rowsWritten) and transactionSync. */
function storage(): DurableObjectStorage {
  const db = new DatabaseSync(":memory:");
  const stmts = new Map<string, ReturnType<DatabaseSync["prepare"]>>();
  const exec = (q: string, ...params: SqlStorageValue[]) => {
    let s = stmts.get(q);
    if (!s) stmts.set(q, (s = db.prepare(q)));
    c.statements++;
    const read = /^\s*(SELECT|WITH)\b/i.test(q);
    const rows = read ? (s.all(...(params as never[])) as Record<string, SqlStorageValue>[]) : [];
    const written = read ? 0 : Number(s.run(...(params as never[])).changes);
    if (read) c.reads++;
    else c.writes++;
    c.rowsWritten += written;
    return { toArray: () => rows, rowsWritten: written, rowsRead: rows.length, one: () => rows[0], [Symbol.iterator]: () => rows[Symbol.iterator]() };
  };
  let depth = 0;
  const transactionSync = <T>(fn: () => T): T => {
    if (depth++ === 0) db.exec("BEGIN");
    try {
      const r = fn();
      if (depth === 1) db.exec("COMMIT");
      return r;
    } catch (e) {
      if (depth === 1) db.exec("ROLLBACK");
      throw e;
    } finally {
      depth--;
    }
  };
  return { sql: { exec }, transactionSync } as unknown as DurableObjectStorage;
}

class CountingSocket extends FakeSocket {
  override send(text: string): void {
    c.sends++;
    super.send(text);
    this.outgoing.length = 0;
  }
}

// Each input comes a second after the last (measure() moves it), so no socket budget refuses one.
let t = 1_000_000;
function room(kind: "relay" | "fixture", config: Record<string, unknown> = {}) {
  let ids = 0;
  const r = new Room({
    store: new SqliteRoomStore(storage()),
    host: new FakeHost(),
    log: quietLog,
    systems: systemRegistry([relaySystem, fixtureSystem]),
    now: () => (t += 1),
    newId: () => `id-${++ids}`,
    newSeed: () => 42,
    metricsFlushMs: 1e12,
  });
  const made = r.create({ roomId: "room-1", kind, config, createdBy: "probe" });
  if (!made.ok) throw new Error(made.code);
  return r;
}

const connect = (r: Room, userId: string, params: Record<string, string> = {}) => {
  const ws = new CountingSocket();
  const res = r.connect({ roomId: "room-1", actor: user(userId), params, expiresAt: null }, ws);
  if (!res.ok) throw new Error(res.error.code);
  return ws;
};

const PAYLOAD = { b: "probe", i: 0, t: 0, p: "x".repeat(150) };
const N = Number(process.env.PROBE_N ?? 200);
const LISTENERS = 10;

function measure(name: string, setup: () => (i: number) => void) {
  const run = setup();
  t += 1000;
  run(-1); // warm: first-use caches (statements, presence list) are not what an input costs
  zero();
  for (let i = 0; i < N; i++) {
    t += 1000;
    run(i);
  }
  const per = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Math.round((v / N) * 100) / 100]));
  return { input: name, ...per };
}

const rows = [
  measure("socket command (relay publish with id, 10 listeners)", () => {
    const r = room("relay");
    const socks = Array.from({ length: LISTENERS }, (_, k) => connect(r, `u${k}`));
    return (i) => r.message(socks[0]!, stringify({ type: "publish", data: PAYLOAD, id: `c${i + 1}` }));
  }),
  measure("socket command, no id (relay publish, 10 listeners)", () => {
    const r = room("relay");
    const socks = Array.from({ length: LISTENERS }, (_, k) => connect(r, `u${k}`));
    return () => r.message(socks[0]!, stringify({ type: "publish", data: PAYLOAD }));
  }),
  measure("HTTP event (relay publish, Idempotency-Key, 10 listeners)", () => {
    const r = room("relay");
    Array.from({ length: LISTENERS }, (_, k) => connect(r, `u${k}`));
    return (i) => r.submit(user("svc", { service: true }), { type: "publish", data: PAYLOAD }, { idempotencyKey: `k${i + 1}`, bodyHash: `h${i + 1}` });
  }),
  measure("HTTP event, retried (same key: answered from the record)", () => {
    const r = room("relay");
    Array.from({ length: LISTENERS }, (_, k) => connect(r, `u${k}`));
    r.submit(user("svc", { service: true }), { type: "publish", data: PAYLOAD }, { idempotencyKey: "again", bodyHash: "h" });
    return () => r.submit(user("svc", { service: true }), { type: "publish", data: PAYLOAD }, { idempotencyKey: "again", bodyHash: "h" });
  }),
  measure("object message (fixture kind, 10 listeners)", () => {
    const r = room("fixture");
    Array.from({ length: LISTENERS }, (_, k) => connect(r, `u${k}`));
    return (i) => r.receive({ from: "peer", to: "room-1", seq: i + 2, body: { n: i } });
  }),
  measure("connect, presence on (relay default; 1 frame per peer below 100 members)", () => {
    const r = room("relay");
    return (i) => void connect(r, `c${i + 1}`);
  }),
  measure("connect, presence off (relay {presence:false})", () => {
    const r = room("relay", { presence: false });
    return (i) => void connect(r, `c${i + 1}`);
  }),
];
process.stdout.write(stringify(rows) + "\n");
