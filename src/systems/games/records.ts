/**
 * Reads and writes of the lobby's id-keyed records (rooms by id, seats by
 * user) that see only the record's own keys. State is plain JSON objects, so
 * a bare `rooms[id]` finds `constructor`, `toString` or `__proto__` on the
 * prototype: a frame naming such a room id would pass as a room, and a user
 * whose `sub` is one of them would seem seated already (issue 24 item 1).
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
