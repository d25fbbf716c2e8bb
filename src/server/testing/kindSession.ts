import { decideCommand } from "../../core/authorize.ts";
import { Errors } from "../../core/hearthError.ts";
import type { Actor, AnyKind, Applied, ApplyResult, KindCtx, PresenceChange, Rejection } from "../../core/kind.ts";
import { testCtx } from "../../core/testCtx.ts";

export interface KindSessionOptions {
  /** The room's creation config, validated by the kind's `config` schema as the core does. Default `{}`. */
  config?: Record<string, unknown>;
  roomId?: string;
  /** The clock's start (ms); `tick()` moves it. Default 1_000_000. */
  now?: number;
  /** What `ctx.random()` returns. Default 0.5. */
  random?: () => number;
  /** Who `ctx.online` says is connected. Default nobody. */
  online?: readonly Actor[];
}

/** Freezes a value and everything in it, so a kind that mutates its input throws in the test. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * One room's state driven through a kind alone: no store, no sockets. Commands take the core's
 * path (the kind's zod schema: BAD_COMMAND; the `authorize` table; `apply`), accepted states are
 * kept, and every state and the config are deep-frozen so a rule that mutates its input throws.
 * For the pure rules; `testRoom` runs the same kind inside a real Room over the memory store.
 */
export class KindSession<S> {
  state: S;
  readonly config: Readonly<Record<string, unknown>>;
  now: number;
  online: readonly Actor[];
  readonly #kind: AnyKind;
  readonly #roomId: string;
  readonly #random: () => number;

  constructor(kind: AnyKind, options: KindSessionOptions = {}) {
    this.#kind = kind;
    this.#roomId = options.roomId ?? "test-room";
    this.#random = options.random ?? (() => 0.5);
    this.now = options.now ?? 1_000_000;
    this.online = options.online ?? [];
    const raw = options.config ?? {};
    const parsed = kind.config ? kind.config.safeParse(raw) : { success: true as const, data: raw };
    if (!parsed.success) throw new Error(`kindSession: the config is not valid for kind ${kind.name}: ${parsed.error.message}`);
    this.config = deepFreeze(parsed.data);
    this.state = deepFreeze(kind.init(this.config, this.ctx(testCtx().actor)) as S);
  }

  /** The context the core would hand a hook for `actor` now. */
  ctx(actor: Actor): KindCtx {
    return testCtx({ actor, roomId: this.#roomId, now: this.now, random: this.#random, config: this.config, online: this.online });
  }

  tick(ms: number): this {
    this.now += ms;
    return this;
  }

  /** Validates, authorizes and applies one command as the core does; keeps the new state when accepted. */
  send(actor: Actor, command: unknown): ApplyResult<S> {
    const kind = this.#kind;
    if (!kind.command) return { ok: false, code: "NO_COMMANDS", message: `Rooms of kind ${kind.name} take no commands.`, status: 400 };
    const parsed = kind.command.safeParse(command);
    if (!parsed.success) return Errors.badCommand(parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })));
    return this.#keep(decideCommand<S>(kind, this.state, parsed.data, this.ctx(actor)));
  }

  /** `send`, expecting acceptance (throws with the rejection's code otherwise). */
  accepted(actor: Actor, command: unknown): Applied<S> {
    const result = this.send(actor, command);
    if (!result.ok) throw new Error(`expected the command to be accepted, got ${result.code}: ${result.message}`);
    return result;
  }

  /** `send`, expecting a rejection (with `code`, when given) that leaves the state as it was. */
  rejected(actor: Actor, command: unknown, code?: string): Rejection {
    const before = this.state;
    const result = this.send(actor, command);
    if (result.ok) throw new Error(`expected ${code ?? "a rejection"}, but the command was accepted`);
    if (code !== undefined && result.code !== code) throw new Error(`expected ${code}, got ${result.code}: ${result.message}`);
    if (this.state !== before) throw new Error("a rejected command changed the state");
    return result;
  }

  /** What `viewer` sees of the current state. */
  view(viewer: Actor): unknown {
    return this.#kind.view(this.state, viewer, this.ctx(viewer));
  }

  /** The kind's presence hook (a socket face), as the core runs it when a user's first socket opens or last closes. */
  presence(kind: PresenceChange["kind"], actor: Actor, params: Record<string, string> = {}): ApplyResult<S> {
    const hook = this.#kind.sockets?.presence;
    if (!hook) throw new Error(`kind ${this.#kind.name} has no presence hook`);
    return this.#keep(hook(this.state, { kind, actor, params }, this.ctx(actor)) as ApplyResult<S>);
  }

  /** The kind's timer (`wakeAt`), run now. */
  wake(): ApplyResult<S> {
    const wake = this.#kind.wake;
    if (!wake) throw new Error(`kind ${this.#kind.name} has no wake hook`);
    return this.#keep(wake(this.state, this.ctx(testCtx().actor)) as ApplyResult<S>);
  }

  #keep(result: ApplyResult<S>): ApplyResult<S> {
    if (result.ok) this.state = deepFreeze(result.state);
    return result;
  }
}

/** A KindSession for `kind` (see KindSession). */
export function kindSession<S>(kind: AnyKind, options: KindSessionOptions = {}): KindSession<S> {
  return new KindSession<S>(kind, options);
}
