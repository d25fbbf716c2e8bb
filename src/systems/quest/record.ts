/**
 * Progress maps are keyed by ids that come from authors and tokens. A key
 * such as "__proto__" must read and write an own property, never the
 * prototype, so every keyed access in this kind goes through these two.
 */

export function getOwn<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function setOwn<V>(record: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
