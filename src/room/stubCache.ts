import type { RoomRpc } from "./rpc.ts";

/** How many stubs an object keeps (a lobby gateway talks to its lobby and the games its sockets follow). */
const MAX_STUBS = 1_000;

/**
 * Stubs of other room objects, one per name, reused across calls: a new stub per call costs an
 * `idFromName` hash and a fresh channel to the target on every push and every forwarded frame
 * (bench/ROLL-COST.md). A call that fails drops its stub, so the retry gets a fresh one (a stub
 * can be left broken by some errors, Cloudflare's RPC docs say).
 */
export function stubCache(ns: DurableObjectNamespace): <T>(name: string, call: (stub: RoomRpc) => Promise<T>) => Promise<T> {
  const stubs = new Map<string, RoomRpc>();
  return async (name, call) => {
    let stub = stubs.get(name);
    if (!stub) {
      if (stubs.size >= MAX_STUBS) stubs.delete(stubs.keys().next().value!);
      stub = ns.get(ns.idFromName(name)) as unknown as RoomRpc;
      stubs.set(name, stub);
    }
    try {
      return await call(stub);
    } catch (err) {
      if (stubs.get(name) === stub) stubs.delete(name);
      throw err;
    }
  };
}
