import { describe, expect, it } from "vitest";
import type { Effect } from "../../core/kind.ts";
import type { HostSocket } from "../RoomHost.ts";
import { Receivers } from "./receivers.ts";

const onGateway = (gateway: string) => ({ gateway }) as unknown as HostSocket;
const own = {} as unknown as HostSocket;
const open: Effect = { to: "game:r1", body: { op: "open" }, create: { kind: "games.game", config: {} }, host: "sender" };
const cmd: Effect = { to: "game:r1", body: { op: "cmd" } };

describe("Receivers ([S8] where a kind's messages go)", () => {
  it("hosts a receiver created with host: 'sender' in the sending socket's gateway, and sends it every later message there", () => {
    const r = new Receivers({ hostedAt: () => null });
    expect(r.addressOf(open, onGateway("lobby:gw:3"))).toBe("lobby:gw:3/game:r1");
    // Later messages, from any socket or none, go to the same address.
    expect(r.addressOf(cmd, onGateway("lobby:gw:7"))).toBe("lobby:gw:3/game:r1");
    expect(r.addressOf(cmd, null)).toBe("lobby:gw:3/game:r1");
  });

  it("gives the receiver its own object when the sender is not on a gateway, or the kind didn't ask", () => {
    const r = new Receivers({ hostedAt: () => null });
    expect(r.addressOf(open, own)).toBe("game:r1");
    expect(r.addressOf(open, null)).toBe("game:r1");
    const { host: _host, ...notHosted } = open;
    expect(r.addressOf({ ...notHosted, to: "game:r2" }, onGateway("lobby:gw:0"))).toBe("game:r2");
    // Hosting is decided by the message that creates the receiver, not by a later one.
    expect(r.addressOf({ ...cmd, to: "game:r3", host: "sender" }, onGateway("lobby:gw:0"))).toBe("game:r3");
  });

  it("reads the addresses back from the store after an eviction", () => {
    const stored = new Map([["game:r1", "lobby:gw:3/game:r1"], ["game:r9", "lobby:gw:0/game:r9"]]);
    const r = new Receivers({ hostedAt: (name) => stored.get(name) ?? null });
    expect(r.addressOf(cmd, null)).toBe("lobby:gw:3/game:r1");
    expect(r.addressOf({ ...cmd, to: "game:r9" }, null)).toBe("lobby:gw:0/game:r9");
    expect(r.addressOf({ ...cmd, to: "game:r5" }, null)).toBe("game:r5");
  });
});
