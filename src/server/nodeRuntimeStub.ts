/**
 * What `cloudflare:workers` is in @hearth/server's Node build (scripts/build-server.mjs): Node
 * can't load the runtime's module, and a system's unit tests import the package (their routes
 * do) without ever running a room object. Rooms run only in workerd, whose build (the package's
 * `workerd` export condition: wrangler, @cloudflare/vitest-plugin) imports the real one.
 */
export class DurableObject<Env = unknown> {
  constructor(
    protected readonly ctx: DurableObjectState,
    protected readonly env: Env,
  ) {}
}
