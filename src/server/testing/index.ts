/**
 * `@hearth/server/testing`: what a system's tests use, kept small and stable on purpose.
 * - kindSession: the kind alone (pure rules), every state deep-frozen.
 * - testRoom: a real Room over the in-memory store with sockets and a clock the test drives.
 * - testToken / TEST_SECRET: tokens for integration tests against the Worker in workerd.
 * None of it imports vitest: any test runner works.
 */
import type { Actor } from "../../core/kind.ts";

export { testCtx } from "../../core/testCtx.ts";
export { deepFreeze, kindSession, KindSession, type KindSessionOptions } from "./kindSession.ts";
export { testRoom, TestRoom, TEST_ROOM_ID, type Frame, type TestRoomOptions, type TestSocket } from "./testRoom.ts";
export { testToken, TEST_SECRET, type TestTokenClaims } from "./testToken.ts";

/** An actor as the worker builds one from a token: a member unless `extra` says otherwise. */
export const testActor = (userId: string, extra: Partial<Actor> = {}): Actor => ({ userId, name: userId, role: "member", service: false, scopes: [], ...extra });
