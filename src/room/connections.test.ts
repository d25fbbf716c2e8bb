import { describe, expect, it } from "vitest";
import { Connections, type Attachment } from "./connections.ts";
import { Outlet } from "./outlet.ts";
import { FakeHost, FakeSocket } from "./testing/fakeHost.ts";

const att = (userId: string): Attachment => ({
  v: 1,
  connId: `c-${userId}-${Math.random()}`,
  actor: { userId, name: userId, role: "member", service: false, scopes: [] },
  params: {},
  connectedAt: 0,
  seenAt: 0,
  expiresAt: null,
});

/** Counts how often the registry lists the runtime's sockets: once per wake-up, not once per connect. */
class CountingHost extends FakeHost {
  listed = 0;
  override sockets(tag?: string) {
    this.listed++;
    return super.sockets(tag);
  }
}

describe("socket index (issue 14: cheap connects)", () => {
  it("checks capacity without listing the runtime's sockets per connect", () => {
    const host = new CountingHost();
    const conns = new Connections(host);
    for (let i = 0; i < 50; i++) {
      expect(conns.atLimit(100)).toBe(false);
      expect(conns.atLimit(10, `u${i % 5}`)).toBe(false);
      conns.add(new FakeSocket(), att(`u${i % 5}`));
    }
    expect(host.listed).toBe(1);
    expect(conns.count()).toBe(50);
    expect(conns.open("u1")).toHaveLength(10);
    expect(conns.atLimit(10, "u1")).toBe(true);
    expect(conns.atLimit(11, "u1")).toBe(false);
  });

  it("is exact at a limit: a socket the peer closed (event not yet delivered) frees its place", () => {
    const host = new FakeHost();
    const conns = new Connections(host);
    const a = new FakeSocket();
    const b = new FakeSocket();
    conns.add(a, att("ann"));
    conns.add(b, att("bob"));
    expect(conns.atLimit(2)).toBe(true);
    a.readyState = 3; // closed by the peer; webSocketClose has not run yet
    expect(conns.atLimit(2)).toBe(false);
    expect(conns.hasOpen("ann")).toBe(false);
    expect(conns.hasOpen("bob")).toBe(true);
    expect(conns.open()).toEqual([b]);
  });

  it("forgets closed and failed sockets, and a fresh registry (a wake-up) rebuilds from the runtime", () => {
    const host = new FakeHost();
    const conns = new Connections(host);
    const dead: string[] = [];
    // Sends and closes go through the outlet, which drops the socket from the registry.
    const outlet = new Outlet({ sockets: conns, figures: { sent: () => {}, delivered: () => {} }, onDead: (u) => dead.push(u) });
    const a = new FakeSocket();
    const b = new FakeSocket();
    const c = new FakeSocket();
    conns.add(a, att("ann"));
    conns.add(b, att("ann"));
    conns.add(c, att("cy"));
    outlet.close(a, 1000, "");
    b.die();
    expect(outlet.send(b, "x")).toBe(false);
    expect(dead).toEqual(["ann"]);
    expect(conns.count()).toBe(1);
    expect(conns.hasOpen("ann")).toBe(false);
    // b's send failed but the runtime still lists it as open: a new registry sees it until its close arrives.
    const woken = new Connections(host);
    expect(woken.count()).toBe(2);
    expect(woken.hasOpen("cy")).toBe(true);
  });
});

describe("fan-out's view of the index (Connections.everyone, anyBatching)", () => {
  const batching = (userId: string): Attachment => ({ ...att(userId), params: { batch: "1" } });

  it("hands fan-out one array until a socket comes or goes, with no readyState read per socket", () => {
    const conns = new Connections(new FakeHost());
    const [a, b, c] = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    conns.add(a, att("ann"));
    conns.add(b, att("bob"));
    const first = conns.everyone();
    expect(first).toEqual([a, b]);
    expect(conns.everyone()).toBe(first);
    let reads = 0;
    Object.defineProperty(a, "readyState", { get: () => (reads++, 1) });
    conns.everyone();
    expect(reads).toBe(0);
    conns.add(c, att("cy"));
    expect(conns.everyone()).toEqual([a, b, c]);
    conns.forget(b);
    expect(conns.everyone()).toEqual([a, c]);
    // The array a caller held is never changed under it.
    expect(first).toEqual([a, b]);
  });

  it("knows whether any socket asked for batches, as sockets come and go and after a wake-up", () => {
    const host = new FakeHost();
    const conns = new Connections(host);
    const [a, b] = [new FakeSocket(), new FakeSocket()];
    conns.add(a, att("ann"));
    expect(conns.anyBatching()).toBe(false);
    conns.add(b, batching("bob"));
    expect(conns.anyBatching()).toBe(true);
    expect(new Connections(host).anyBatching()).toBe(true);
    conns.forget(b);
    conns.forget(b);
    expect(conns.anyBatching()).toBe(false);
    conns.add(new FakeSocket(), batching("cy"));
    expect(conns.anyBatching()).toBe(true);
  });
});
