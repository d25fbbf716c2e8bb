import type { Actor, KindCtx } from "./kind.ts";

/** For kind unit tests: a full KindCtx with quiet defaults, overridden field by field. */
export function testCtx(overrides: Partial<KindCtx> = {}): KindCtx {
  const actor: Actor = { userId: "test", name: "test", role: "member", service: false, scopes: [] };
  return { actor, connId: null, roomId: "test-room", now: 0, random: () => 0.5, config: {}, online: [], head: 0, epoch: "test", ...overrides };
}
