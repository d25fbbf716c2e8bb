/**
 * The checksum of a document delta ([W1]): FNV-1a (32 bits) over the document's canonical JSON
 * (keys sorted at every depth), as 8 hex digits, over UTF-16 code units. It must match the
 * server's byte for byte (src/protocol/deltaChecksum.ts; a test checks they agree). It catches a
 * base that is not the server's, not an attacker; small enough to carry without a dependency.
 */
export function documentChecksum(doc: unknown): string {
  const text = canonicalJson(doc);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** JSON with object keys sorted at every depth (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}
