import { describe, expect, it } from "vitest";
import { newRoom } from "../helpers/rooms.ts";
import { api, open, type TestSocket } from "../helpers/socket.ts";
import { adminToken, token } from "../helpers/tokens.ts";
import { figuresFor } from "./figures.ts";
import { runs } from "./scale.ts";

/** What figuresReporter.ts prints as the `revocations:` line (issue 24 item 7). */
export interface RevocationFigures {
  applied: number;
  closed: number;
  /** Time from each revocation call to its last 4001 close (ms). */
  closeMs: number[];
}

const uid = (p: string) => `${p}-${crypto.randomUUID().slice(0, 8)}`;

async function session(): Promise<string> {
  const res = await api("POST", "/api/sessions", await token({ sub: "rollscape-api", scope: "events:publish" }), { campaign_id: 7, dm_user_id: uid("dm") });
  expect(res.status).toBe(201);
  return res.json.session_id as string;
}

describe("reliability: revocation ([V1]..[V5])", () => {
  it("revoked users lose every socket in relay and tabletop rooms with 4001, and every later connect and call", async (ctx) => {
    const figures = figuresFor(ctx);
    const rev: RevocationFigures = { applied: 0, closed: 0, closeMs: [] };
    (ctx.task.meta as { revocations?: RevocationFigures }).revocations = rev;
    const rooms = [await newRoom(), await newRoom()];
    const tabletop = await session();
    for (let i = 0; i < runs(3); i++) {
      const user = uid("rev");
      const t = await token({ sub: user, jti: uid("jti") });
      const sockets: TestSocket[] = [];
      for (const path of [`/ws/rooms/${rooms[0]}`, `/ws/rooms/${rooms[1]}`, `/ws/game/${tabletop}`]) {
        const s = await open(`${path}?token=${t}`);
        await s.next();
        sockets.push(s);
      }
      const started = performance.now();
      const res = await api("POST", "/api/revocations", await adminToken(), i % 2 === 0 ? { user_id: user } : { jti: (JSON.parse(atob(t.split(".")[1]!)) as { jti: string }).jti });
      const closes = await Promise.all(sockets.map((s) => s.waitClosed(2000)));
      rev.closeMs.push(performance.now() - started);
      figures.cases += 3;
      expect(res.json.closed).toBe(3);
      for (const c of closes) expect(c).toMatchObject({ code: 4001, reason: "Token revoked" });
      rev.applied++;
      rev.closed += 3;
      figures.refused += 3;
      const call = await api("GET", `/api/rooms/${rooms[0]}`, t);
      figures.cases++;
      expect(call.json.error?.code).toBe("TOKEN_REVOKED");
      figures.refused++;
    }
  });
});
