import { describe, expect, it } from "vitest";
import { hostedQuery, shiftParameters } from "./hostedSql.ts";

const q = (sql: string) => hostedQuery(sql).text;

describe("hostedQuery ([S8] a hosted room's statements)", () => {
  it("adds the room to every row written and to every conflict target", () => {
    expect(q("INSERT INTO log (seq, at, frame, audience, input, dkey, dhash, dval) VALUES (?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?)")).toBe(
      "INSERT INTO hr_log (r, seq, at, frame, audience, input, dkey, dhash, dval) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9), (?1, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    );
    expect(q("INSERT INTO marks (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v")).toBe("INSERT INTO hr_marks (r, k, v) VALUES (?1, ?2, ?3) ON CONFLICT (r, k) DO UPDATE SET v = excluded.v");
    expect(q("INSERT OR REPLACE INTO timer (id, wake_at) VALUES (1, ?)")).toBe("INSERT OR REPLACE INTO hr_timer (r, id, wake_at) VALUES (?1, 1, ?2)");
    expect(q("INSERT OR IGNORE INTO presence (user_id) VALUES (?)")).toBe("INSERT OR IGNORE INTO hr_presence (r, user_id) VALUES (?1, ?2)");
    expect(q("INSERT INTO outbox (receiver, seq, body, spec, attempts, next_at) VALUES (?, ?, ?, ?, 0, ?)")).toBe("INSERT INTO hr_outbox (r, receiver, seq, body, spec, attempts, next_at) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)");
  });

  it("scopes every condition to the room, keeping an OR inside it", () => {
    expect(q("UPDATE room SET state = ?, head = ? WHERE id = 1")).toBe("UPDATE hr_room SET state = ?2, head = ?3 WHERE r = ?1 AND (id = 1)");
    expect(q("DELETE FROM log WHERE seq <= ? OR at < ?")).toBe("DELETE FROM hr_log WHERE r = ?1 AND (seq <= ?2 OR at < ?3)");
    expect(q("DELETE FROM log")).toBe("DELETE FROM hr_log WHERE r = ?1");
    expect(q("DELETE FROM marks WHERE k = 'journal_cut'")).toBe("DELETE FROM hr_marks WHERE r = ?1 AND (k = 'journal_cut')");
    expect(q("UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE receiver = ? AND seq = ?")).toBe("UPDATE hr_outbox SET attempts = attempts + 1, next_at = ?2 WHERE r = ?1 AND (receiver = ?3 AND seq = ?4)");
  });

  it("scopes reads up to their ORDER BY, LIMIT, UNION or closing parenthesis", () => {
    expect(q("SELECT seq, at, frame, audience FROM log WHERE seq > ? ORDER BY seq ASC LIMIT ?")).toBe("SELECT seq, at, frame, audience FROM hr_log WHERE r = ?1 AND (seq > ?2) ORDER BY seq ASC LIMIT ?3");
    expect(q("SELECT at FROM log ORDER BY seq ASC LIMIT 1")).toBe("SELECT at FROM hr_log WHERE r = ?1 ORDER BY seq ASC LIMIT 1");
    expect(q("SELECT MIN(seq) AS s FROM log")).toBe("SELECT MIN(seq) AS s FROM hr_log WHERE r = ?1");
    expect(q("SELECT hash, response, at FROM idem WHERE key = ?1 UNION ALL SELECT dhash, dval, at FROM log WHERE dkey = ?2 LIMIT 1")).toBe(
      "SELECT hash, response, at FROM hr_idem WHERE r = ?1 AND (key = ?2) UNION ALL SELECT dhash, dval, at FROM hr_log WHERE r = ?1 AND (dkey = ?3) LIMIT 1",
    );
    expect(
      q(`SELECT input FROM (
           SELECT seq, 0 AS k, seq AS n, input FROM log WHERE input IS NOT NULL AND seq BETWEEN ?3 AND ?1
           UNION ALL SELECT seq, 1 AS k, n, input FROM journal WHERE seq BETWEEN ?3 AND ?1
         ) ORDER BY seq, k, n LIMIT ?2`).replace(/\s+/g, " "),
    ).toBe(
      "SELECT input FROM ( SELECT seq, 0 AS k, seq AS n, input FROM hr_log WHERE r = ?1 AND (input IS NOT NULL AND seq BETWEEN ?4 AND ?2) UNION ALL SELECT seq, 1 AS k, n, input FROM hr_journal WHERE r = ?1 AND (seq BETWEEN ?4 AND ?2) ) ORDER BY seq, k, n LIMIT ?3",
    );
    expect(q("SELECT receiver FROM peers WHERE instr(receiver, '/') > 0")).toBe("SELECT receiver FROM hr_peers WHERE r = ?1 AND (instr(receiver, '/') > 0)");
    expect(q("SELECT dkey, dhash, dval, at FROM log WHERE dkey IS NOT NULL AND (seq <= ? OR at < ?)")).toBe("SELECT dkey, dhash, dval, at FROM hr_log WHERE r = ?1 AND (dkey IS NOT NULL AND (seq <= ?2 OR at < ?3))");
    // A column named like a table (`state`, `seq`) is not one.
    expect(q("SELECT state FROM room WHERE id = 1")).toBe("SELECT state FROM hr_room WHERE r = ?1 AND (id = 1)");
  });

  it("leaves the schema to the shared tables, and checks for them by their own names", () => {
    expect(q("CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY)")).toBe("SELECT 1");
    expect(q("ALTER TABLE log ADD COLUMN input TEXT")).toBe("SELECT 1");
    expect(q("CREATE INDEX IF NOT EXISTS log_dkey ON log (dkey) WHERE dkey IS NOT NULL")).toBe("SELECT 1");
    expect(q("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'remote_sockets'")).toBe("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hr_remote_sockets'");
  });

  it("binds the room as the first parameter, so every hosted room shares one text (one prepared statement)", () => {
    expect(hostedQuery("UPDATE room SET head = ? WHERE id = 1")).toEqual({ text: "UPDATE hr_room SET head = ?2 WHERE r = ?1 AND (id = 1)", room: true });
    // A statement that names no room table binds no room and keeps its parameters.
    expect(hostedQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")).toEqual({ text: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", room: false });
    expect(hostedQuery("CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY)").room).toBe(false);
  });
});

describe("shiftParameters", () => {
  it("numbers parameters as SQLite does, one place later, and leaves quoted text alone", () => {
    expect(shiftParameters("a = ? AND b = ?")).toBe("a = ?2 AND b = ?3");
    // A bare `?` after `?5` is 6, shifted to 7.
    expect(shiftParameters("a = ?5 AND b = ? AND c = ?1")).toBe("a = ?6 AND b = ?7 AND c = ?2");
    expect(shiftParameters("name = 'why?' AND x = ?")).toBe("name = 'why?' AND x = ?2");
    expect(shiftParameters("no parameters")).toBe("no parameters");
  });
});
