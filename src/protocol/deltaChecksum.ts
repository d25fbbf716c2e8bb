/**
 * The checksum a document delta carries ([W1], docs/protocol.md "Document deltas"): FNV-1a (32
 * bits) over the document's canonical JSON (object keys sorted, no spaces), as 8 hex digits.
 * Canonical, because a patched document's key order may differ from the server's. FNV-1a, because
 * it only has to catch a client whose base was not the server's (a bug, a lost frame), not an
 * attacker: ten lines that the SDK repeats byte for byte, with no dependency on either side.
 * Hashed over UTF-16 code units (charCodeAt), which both sides read the same way.
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
