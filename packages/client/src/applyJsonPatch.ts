/**
 * Applies the RFC 6902 JSON Patch operations a Hearth document delta carries ([W1]): `add`,
 * `remove` and `replace`, the only ones the server's diff produces. Works on a deep copy; throws
 * on anything else or on a path that does not resolve, which the caller turns into a resync.
 * Written here because the SDK ships without dependencies; a test applies the server library's
 * own diffs with it.
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new Error("ops is not an array");
  let root: unknown = structuredClone(doc);
  for (const op of ops as { op?: unknown; path?: unknown; value?: unknown }[]) {
    if (typeof op !== "object" || op === null || typeof op.path !== "string") throw new Error("bad operation");
    if (op.op !== "add" && op.op !== "remove" && op.op !== "replace") throw new Error(`unsupported op ${String(op.op)}`);
    const tokens = parsePointer(op.path);
    if (tokens.length === 0) {
      if (op.op === "remove") throw new Error("cannot remove the root");
      root = structuredClone(op.value);
      continue;
    }
    const parent = resolve(root, tokens.slice(0, -1));
    const key = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) patchArray(parent, key, op);
    else if (typeof parent === "object" && parent !== null) patchObject(parent as Record<string, unknown>, key, op);
    else throw new Error(`no container at ${op.path}`);
  }
  return root;
}

function patchArray(arr: unknown[], key: string, op: { op?: unknown; value?: unknown }): void {
  const index = key === "-" ? arr.length : Number(key);
  if (!/^(0|[1-9]\d*|-)$/.test(key) || index > arr.length) throw new Error(`bad array index ${key}`);
  if (op.op === "add") arr.splice(index, 0, structuredClone(op.value));
  else if (index >= arr.length) throw new Error(`no element ${key}`);
  else if (op.op === "replace") arr[index] = structuredClone(op.value);
  else arr.splice(index, 1);
}

function patchObject(obj: Record<string, unknown>, key: string, op: { op?: unknown; value?: unknown }): void {
  const has = Object.prototype.hasOwnProperty.call(obj, key);
  if (op.op === "add") define(obj, key, structuredClone(op.value));
  else if (!has) throw new Error(`no member ${key}`);
  else if (op.op === "replace") define(obj, key, structuredClone(op.value));
  else delete obj[key];
}

/** A plain assignment would let a `__proto__` key reach the prototype. */
function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

function resolve(root: unknown, tokens: string[]): unknown {
  let at = root;
  for (const t of tokens) {
    if (typeof at !== "object" || at === null || !Object.prototype.hasOwnProperty.call(at, t)) throw new Error(`no member ${t}`);
    at = (at as Record<string, unknown>)[t];
  }
  return at;
}

function parsePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new Error(`bad pointer ${path}`);
  return path
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}
