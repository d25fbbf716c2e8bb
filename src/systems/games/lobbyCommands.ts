import { z } from "zod";
import { gameTypes } from "./gameTypes.ts";

/**
 * The frames a lobby socket may send (seed 004). zod strips unknown keys, so
 * a frame's `user_id`, `username` and `avatar_id` are dropped here: who acts
 * always comes from the token. Game moves come from the game-type registry.
 */
const roomId = z.string().min(1).max(64);
const roomCommand = <T extends string>(type: T) => z.object({ type: z.literal(type), room_id: roomId });

const lobbyCommands = [
  z.object({ type: z.literal("auth") }),
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("list_rooms") }),
  z.object({ type: z.literal("create_room"), game_type: z.string().min(1).max(64), room_name: z.string().trim().min(1).max(64) }),
  z.object({ type: z.literal("join_room"), room_name: z.string().trim().min(1).max(64) }),
  roomCommand("leave_room"),
  // Hearth's addition: a cursor into the game's own log ([S6]); the frames after it are replayed first.
  roomCommand("rejoin_room").extend({ since: z.number().int().min(0).optional(), epoch: z.string().max(64).optional() }),
  roomCommand("ready"),
  roomCommand("spectate").extend({ since: z.number().int().min(0).optional(), epoch: z.string().max(64).optional() }),
  roomCommand("leave_spectate"),
] as const;

const moves = [...gameTypes.values()].flatMap((t) => Object.entries(t.commands).map(([type, fields]) => roomCommand(type).extend(fields.shape)));

export const lobbyCommand = z.discriminatedUnion("type", [...lobbyCommands, ...moves]) as unknown as z.ZodType<LobbyCommand>;

export type LobbyCommand =
  | z.infer<(typeof lobbyCommands)[number]>
  | ({ type: string; room_id: string } & Record<string, unknown>);
