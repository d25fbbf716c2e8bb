import { describe, expect, it } from "vitest";
import type { Actor } from "../../core/kind.ts";
import type { Attachment } from "../connections.ts";
import type { HostSocket } from "../RoomHost.ts";
import { fanOut, type FanOutPort } from "./fanOut.ts";

/** A room of one socket per user; `groups` says who is in which group (what groupsOf would answer). */
function room(users: string[], groups: Record<string, string[]>, members?: (g: string) => readonly string[] | undefined) {
  const sockets = new Map(users.map((u) => [u, { u } as unknown as HostSocket]));
  const userOf = (ws: HostSocket) => (ws as unknown as { u: string }).u;
  const got: string[] = [];
  let walks = 0;
  let looks = 0;
  const port: FanOutPort = {
    sockets: {
      everyone: () => (walks++, [...sockets.values()]),
      open: (userId) => (sockets.has(userId) ? [sockets.get(userId)!] : []),
      attachment: (ws) => ({ actor: { userId: userOf(ws) } }) as Attachment,
    },
    reader: (actor: Actor) => ({ actor, inGroup: (g) => (looks++, (groups[g] ?? []).includes(actor.userId)) }),
    ...(members ? { members } : {}),
    outlet: { deliver: (ws, frame) => (got.push(`${userOf(ws)}${frame === "x" ? "" : `:${frame}`}`), true) },
  };
  return { port, got, walks: () => walks, looks: () => looks, socket: (u: string) => sockets.get(u)! };
}

describe("fan-out through a kind's group members (SocketFace.membersOf)", () => {
  const users = Array.from({ length: 50 }, (_, i) => `u${i}`);
  const groups = { "room:a": ["u1", "u2"], "room:b": ["u3"] };

  it("visits only the listed members' sockets, plus `to`", () => {
    const r = room(users, groups, (g) => groups[g as keyof typeof groups]);
    fanOut(r.port, [{ frame: "x", audience: { body: {}, groups: ["room:a"], to: ["u9"] } }]);
    expect(r.got.sort()).toEqual(["u1", "u2", "u9"]);
    expect(r.walks()).toBe(0);
  });

  it("checks every listed user against the audience: a kind that lists too many leaks nothing", () => {
    const r = room(users, groups, () => ["u1", "u2", "u3", "u4"]);
    fanOut(r.port, [{ frame: "x", audience: { body: {}, groups: ["room:a"] } }]);
    expect(r.got.sort()).toEqual(["u1", "u2"]);
  });

  it("asks every socket for a group the kind can't list, or without membersOf", () => {
    for (const members of [() => undefined, undefined]) {
      const r = room(users, groups, members);
      fanOut(r.port, [{ frame: "x", audience: { body: {}, groups: ["room:b"] } }]);
      expect(r.got).toEqual(["u3"]);
      expect(r.walks()).toBe(1);
    }
  });

  it("looks at the sockets once for several frames of one call with the same audience, in frame order", () => {
    const r = room(users, groups);
    const toB = (frame: string) => ({ frame, audience: { body: {}, groups: ["room:b"] } });
    fanOut(r.port, [toB("1"), toB("2"), toB("3")]);
    expect(r.got).toEqual(["u3:1", "u3:2", "u3:3"]);
    expect(r.walks()).toBe(1);
    // One membership question per socket, not one per socket per frame.
    expect(r.looks()).toBe(users.length);
  });

  it("keeps audiences apart that differ in any user or group, and skips the origin per frame", () => {
    const r = room(users, groups);
    fanOut(
      r.port,
      [
        { frame: "a", audience: { body: {}, to: ["u1", "u2"] } },
        { frame: "b", audience: { body: {}, to: ["u1"] } },
        { frame: "c", audience: { body: {}, to: ["u1"], groups: ["room:b"] } },
        { frame: "d", audience: { body: {}, to: ["u1", "u2"], skipOrigin: true } },
      ],
      r.socket("u2"),
    );
    expect(r.got).toEqual(["u1:a", "u2:a", "u1:b", "u1:c", "u3:c", "u1:d"]);
  });
});
