import { expect } from "vitest";
import { eventually, objectNamed, service } from "./objects.ts";
import { open, type Frame, type TestSocket } from "./socket.ts";
import { token } from "./tokens.ts";

/** Every lobby shard this test file created: where its games are looked for (gameAt). */
const lobbies = new Set<string>();

/** A fresh lobby shard, created with `config` (short clocks for tests), so tests never share one. */
export async function newLobby(config: Record<string, unknown> = {}): Promise<string> {
  const shard = `t${crypto.randomUUID().slice(0, 12)}`;
  const name = `games:lobby:${shard}`;
  const made = await objectNamed(name).create({ roomId: name, name, kind: "games.lobby", config, createdBy: "test" });
  if (!made.ok) throw new Error(`lobby create failed: ${made.code}`);
  lobbies.add(shard);
  return shard;
}

/** A game's room: the object that hosts it ([S8], the gateway of its creator's socket) and its address there. */
export interface GameAt {
  object: string;
  address: string;
  stub: ReturnType<typeof objectNamed>;
}

const found = new Map<string, GameAt>();

/** Where the game `roomId` lives: looked up in the gateways of this file's lobbies. */
export async function gameAt(roomId: string): Promise<GameAt> {
  const known = found.get(roomId);
  if (known) return known;
  for (const shard of lobbies) {
    // A test's lobby has a few gateways (numbered from 0, lowest first); an emptied one no longer shows in its spread.
    for (let k = 0; k < 16; k++) {
      const object = `games:lobby:${shard}:gw:${k}`;
      const address = `${object}/game:${roomId}`;
      const stub = objectNamed(object);
      if ((await stub.snapshot(service, undefined, address)).ok) {
        const at = { object, address, stub };
        found.set(roomId, at);
        return at;
      }
    }
  }
  throw new Error(`no gateway hosts game ${roomId}`);
}

/** The game's GameRoom, read as a service (the game's own view, not any socket's). */
export async function gameRoom(roomId: string): Promise<Record<string, any>> {
  const at = await gameAt(roomId);
  const snap = await at.stub.snapshot(service, undefined, at.address);
  if (!snap.ok) throw new Error(snap.code);
  return snap.state as Record<string, any>;
}

/** A numeric user id, as the seed's i64 ids (the wire shows it as a number). */
export const newUserId = () => String(100_000 + Math.floor(Math.random() * 899_999_999));

export interface Client {
  id: string;
  /** The id as frames carry it. */
  wire: number;
  name: string;
  socket: TestSocket;
}

/** Every games socket a test opened, by lobby shard: closed after each test (closeClients). */
const opened = new Map<string, TestSocket[]>();

/**
 * Closes every games socket the test opened and waits until each lobby heard every close. Games
 * sockets sit on gateways ([S6]): a close travels to the lobby and the games after the socket's
 * own close, and a test file must not end with that still in flight.
 */
export async function closeClients(): Promise<void> {
  const all = [...opened];
  opened.clear();
  for (const [, sockets] of all) for (const s of sockets) s.close();
  for (const [shard] of all) {
    await eventually(async () => {
      const spread = await objectNamed(`games:lobby:${shard}`).spread();
      expect(spread.ok ? spread.sockets : 0).toBe(0);
    }, 20_000);
  }
}

/** Opens a `/ws/games` socket for a user and reads its connect snapshot. */
export async function client(shard: string, name: string, id = newUserId()): Promise<Client> {
  const t = await token({ sub: id, name });
  const socket = await open(`/ws/games?lobby=${shard}&token=${t}`);
  opened.set(shard, [...(opened.get(shard) ?? []), socket]);
  expect(await socket.next(5000)).toMatchObject({ type: "snapshot" });
  return { id, wire: Number(id), name, socket };
}

/** The next frame of this type (skipping others). */
export const nextOf = (c: Client, type: string, ms = 5000): Promise<Frame> => c.socket.nextMatching((f) => f.type === type, ms);

/** Creates a room as `host` and returns its id. */
export async function createRoom(host: Client, roomName: string): Promise<string> {
  host.socket.send({ type: "create_room", game_type: "bigger_dice", room_name: roomName });
  // The list's browsers hear every room_created too: pick this host's own.
  const created = await host.socket.nextMatching((f) => f.type === "room_created" && f.host_id === host.wire && f.room_name === roomName, 20_000);
  return created.room_id as string;
}

/** Seats `guest` in `host`'s room, readies both and returns the game_started frame (as `host` saw it). */
export async function startGame(host: Client, guest: Client, roomName: string): Promise<{ roomId: string; started: Frame }> {
  const roomId = await createRoom(host, roomName);
  guest.socket.send({ type: "join_room", room_name: roomName });
  await nextOf(guest, "room_state", 20_000);
  host.socket.send({ type: "ready", room_id: roomId });
  guest.socket.send({ type: "ready", room_id: roomId });
  return { roomId, started: await nextOf(host, "game_started", 10_000) };
}

/** Rolls for whoever's turn it is until the game ends; `watch` is a socket that sees the room's frames. Returns game_ended. */
export async function playToEnd(roomId: string, players: readonly Client[], watch: Client, firstTurn: unknown, maxRolls = 1000): Promise<Frame> {
  let turn = firstTurn;
  for (let i = 0; i < maxRolls; i++) {
    const roller = players.find((p) => p.wire === turn);
    if (!roller) throw new Error(`turn ${String(turn)} is nobody's`);
    roller.socket.send({ type: "bigger_dice.roll", room_id: roomId });
    const f = await watch.socket.nextMatching((x) => x.type === "turn_changed" || x.type === "game_ended", 10_000);
    if (f.type === "game_ended") return f;
    turn = f.current_turn;
  }
  throw new Error("game did not end");
}
