/**
 * `@hearth/server`: what a Worker that is not this repo imports to serve its own systems
 * (packages/server, built by scripts/build-server.mjs; docs/add-a-system.md walks through one).
 * It re-exports; nothing is defined here. It never imports src/systems: a Worker built on it
 * carries only the systems it passes to createHearth.
 */

// Building the Worker: one registry, the app that mounts its routes, the rooms' Durable Object class.
export { createHearth, type Hearth, type HearthOptions } from "../worker/createHearth.ts";
export { createApp, type HearthApp } from "../worker/app.ts";
export { roomObject, type RoomBindings, type RoomObjectClass } from "../room/RoomObject.ts";
export type { Env } from "../http/env.ts";

// A system and its kind (the pure rules).
export { defineSystem, systemRegistry, type System, type SystemRegistry } from "../core/system.ts";
export { applied, reject } from "../core/kind.ts";
export type {
  Actor,
  Answer,
  Applied,
  AnyKind,
  ApplyResult,
  CommandAuth,
  CommandKind,
  Commands,
  ConnectInfo,
  CreateSpec,
  Effect,
  Emit,
  Incoming,
  Kind,
  KindBase,
  KindCtx,
  PresenceChange,
  Rejection,
  RoomLimits,
  SocketFace,
  TakesCommands,
} from "../core/kind.ts";
export { hearthError, Errors, type HearthError } from "../core/hearthError.ts";
export { SCOPES, type HearthScope } from "../core/scopes.ts";
export { objectName, ROOM_ID } from "../core/objectName.ts";
export { CloseCode, CloseReason } from "../core/closeCodes.ts";

// Codecs: how a system's frames look on the wire.
export type { Codec, CodecOptions, Decoded, DecodeError, FrameMeta } from "../protocol/codec.ts";
export { typeCodec } from "../protocol/typeCodec.ts";
export { eventCodec } from "../protocol/eventCodec.ts";

// A system's routes: authentication, the way into one room, the socket upgrade, bodies and errors.
export { requireAuth, type AuthVars } from "../http/middleware/requireAuth.ts";
export { roomAccess, type RoomAccess, type RoomAccessOptions, type RoomAccessVars } from "../http/middleware/roomAccess.ts";
export { upgradeToRoom } from "../http/upgradeToRoom.ts";
export { roomStub } from "../http/roomStub.ts";
export type { CreateRoom, Created, HistoryPage, Outcome, RoomRpc, RoomSnapshot, SubmitOptions } from "../room/rpc.ts";
export { jsonBody, type JsonBodyVars } from "../http/middleware/jsonBody.ts";
export { queryParams, type QueryVars } from "../http/middleware/queryParams.ts";
export { httpError, roomErrorResponse, roomJson } from "../http/middleware/httpError.ts";
export { historyQuery } from "../http/historyQuery.ts";
export { idempotencyOptions } from "../http/idempotencyOptions.ts";
export { socketUrl } from "../http/socketUrl.ts";
export { WORKER_ACTOR } from "../http/serviceActor.ts";
export { hearthClaims, type HearthClaims } from "../http/auth/claims.ts";
