/**
 * The one way Hearth names a Durable Object. A room of kind `quest` with id `7TCJEM` lives in the
 * object `quest:7TCJEM`; the prefix keeps ids from different systems out of each other's objects.
 * Ids never contain `:` (every system's id pattern excludes it), so a name splits back into its
 * prefix and id, and a derived name (a shard) can never equal another room's name.
 *
 * These strings are storage addresses (`idFromName`): existing rooms live under them, so the
 * format here is frozen; a change orphans every room already created.
 *
 * Relay rooms (seed 000's `/api/rooms/:roomId`) predate prefixes and are named by the bare id;
 * they don't use this function (see `roomAccess`, whose default name is the id itself).
 */

/** Hearth's own room ids: short, URL-safe, and without `:` (the separator of prefixes and shards). */
export const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The object of one room: `<kind>:<id>` (`campaign:c-1`, `quest:7TCJEM`, `feed:default`). */
export const objectName = (kind: string, id: string): string => `${kind}:${id}`;

/**
 * The id inside an object name of this kind (`objectIdOf("feed", "feed:default")` is `default`);
 * a name without the prefix is returned as it is (a bare-id room).
 */
export const objectIdOf = (kind: string, name: string): string => (name.startsWith(`${kind}:`) ? name.slice(kind.length + 1) : name);

/**
 * Gateway `k` of the room object `name` (`<name>:gw:<k>`): an object that holds some of the
 * room's sockets when it has more than one object may (streams, docs/architecture.md).
 */
export const gatewayObjectName = (name: string, k: number): string => `${name}:gw:${k}`;

/** Whether `name` is a gateway's (`<room>:gw:<k>`), of the room `source` when given. */
export function isGatewayName(name: string, source?: string): boolean {
  const m = /^(.*):gw:\d+$/.exec(name);
  return !!m && (source === undefined || m[1] === source);
}

/**
 * [S8] A room hosted inside another object: `<object>/<room>` (`games:lobby:main:gw:3/game:r1`).
 * Names never contain `/` otherwise (ids exclude it), so the address splits back into the object
 * that holds the room and the room's own name.
 */
export const hostedName = (object: string, room: string): string => `${object}/${room}`;

/** The object that holds the room `name`: the part before `/` of a hosted address, else the name itself. */
export const hostObjectOf = (name: string): string => {
  const cut = name.indexOf("/");
  return cut < 0 ? name : name.slice(0, cut);
};

/** Whether `name` is a room hosted inside the object `object` (not the object's own room). */
export const isHostedIn = (name: string, object: string): boolean => name !== object && hostObjectOf(name) === object;

/** The room's own name inside its address (`game:r1` for `games:lobby:main:gw:3/game:r1`), or the name itself. */
export const hostedRoomOf = (name: string): string => {
  const cut = name.indexOf("/");
  return cut < 0 ? name : name.slice(cut + 1);
};
