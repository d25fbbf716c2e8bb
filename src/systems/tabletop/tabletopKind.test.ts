import { describe, expect, it } from "vitest";
import { testCtx } from "../../core/testCtx.ts";
import { NOW, alice, ctx, dm, face, ok, scripted } from "./fixtures";
import { tabletopKind } from "./tabletopKind";

describe("tabletopKind", () => {
  it("is wired as the tabletop kind with history on join", () => {
    expect(tabletopKind.name).toBe("tabletop");
    expect(tabletopKind.sockets!.historyOnJoin).toBe(50);
    expect(typeof tabletopKind.sockets!.presence).toBe("function");
    expect(typeof tabletopKind.sockets!.admit).toBe("function");
    expect(typeof tabletopKind.sockets!.welcome).toBe("function");
  });

  it("runs a frame end to end the way the core will: config, init, presence, validate, apply, view", () => {
    const config = tabletopKind.config!.parse({ campaign_id: "c", dm_user_id: dm.userId });
    let state = tabletopKind.init(config, testCtx({ now: NOW, roomId: "r" }));
    for (const who of [dm, alice]) state = ok(tabletopKind.sockets!.presence!(state, { kind: "join", actor: who, params: {} }, ctx(who))).state;
    const command = tabletopKind.command.parse({ type: "dice_roll", formula: "2d20kh1+3", result: 99 });
    const r = ok(tabletopKind.apply(state, command, ctx(alice, { random: scripted(face(4, 20), face(16, 20)) })));
    expect(r.emits[0]?.body).toMatchObject({ event: "dice_roll", data: { result: 19, rolls: [4, 16], kept: [16] } });
    expect(tabletopKind.view(r.state, alice, testCtx())).toMatchObject({ player_count: 2, you: { in_room: true } });
  });
});
