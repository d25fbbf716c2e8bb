/**
 * Who this tab is and how it talks HTTP to Hearth. Every tab is its own user:
 * a random `sub` kept in sessionStorage (so a reload stays the same user, while
 * a new tab is someone else). Tokens come from the local-only `POST /dev/token`.
 */

export interface Identity {
  sub: string;
  name: string;
}

const IDENTITY_KEY = "hearth-demo:identity";
const NAMES = ["Ada", "Bram", "Cleo", "Dag", "Edda", "Finn", "Gro", "Hedda", "Ivar", "Juno", "Kai", "Liv", "Mio", "Nora", "Odd", "Pia"];

export function loadIdentity(): Identity {
  try {
    const saved = JSON.parse(sessionStorage.getItem(IDENTITY_KEY) ?? "null") as Partial<Identity> | null;
    if (saved && typeof saved.sub === "string" && typeof saved.name === "string") return { sub: saved.sub, name: saved.name };
  } catch {
    // Storage disabled or garbage: a fresh identity is fine for a demo.
  }
  const identity = {
    sub: `user-${crypto.randomUUID().slice(0, 8)}`,
    name: `${NAMES[Math.floor(Math.random() * NAMES.length)]} ${Math.floor(10 + Math.random() * 90)}`,
  };
  saveIdentity(identity);
  return identity;
}

export function saveIdentity(identity: Identity): void {
  try {
    sessionStorage.setItem(IDENTITY_KEY, JSON.stringify(identity));
  } catch {
    // Not persisting only means a reload becomes a new user.
  }
}

/** An HTTP error in Hearth's shape `{error: {code, message}}` (quest routes add `success: false`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface CachedToken {
  token: string;
  /** Epoch ms after which we fetch a new one (a minute before it really expires). */
  renewAt: number;
}

/** The setup token: may create quests; its `sub` is a service, not a player. */
const SETUP_CLAIMS = { sub: "demo-setup", name: "Demo setup", scope: "rooms:admin events:publish" };

export class HearthApi {
  private player: CachedToken | undefined;
  private setup: CachedToken | undefined;

  constructor(private readonly identity: Identity) {}

  /** A token for this tab's user; cached, so reconnects don't each cost a request. */
  async playerToken(): Promise<string> {
    if (!this.player || Date.now() >= this.player.renewAt) this.player = await this.mint({ sub: this.identity.sub, name: this.identity.name });
    return this.player.token;
  }

  /** Forget the cached player token (the server said it is invalid or expired: close 4001). */
  dropPlayerToken(): void {
    this.player = undefined;
  }

  async setupToken(): Promise<string> {
    if (!this.setup || Date.now() >= this.setup.renewAt) this.setup = await this.mint(SETUP_CLAIMS);
    return this.setup.token;
  }

  /** JSON request as this tab's user (or as the setup service with `asSetup`). */
  async request<T>(method: string, path: string, body?: unknown, opts: { asSetup?: boolean; idempotencyKey?: string } = {}): Promise<T> {
    const token = opts.asSetup ? await this.setupToken() : await this.playerToken();
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    return readJson<T>(await fetch(path, init));
  }

  private async mint(claims: Record<string, string>): Promise<CachedToken> {
    const response = await fetch("/dev/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(claims),
    });
    if (response.status === 404) {
      throw new ApiError(404, "NO_DEV_TOKENS", "This server has no /dev/token (production config). The demo needs local dev auth: run `npm start`.");
    }
    const { token } = await readJson<{ token: string }>(response);
    return { token, renewAt: expiryOf(token) - 60_000 };
  }
}

async function readJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new ApiError(response.status, "BAD_RESPONSE", `HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } }).error;
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? `HTTP ${response.status}`);
  }
  return parsed as T;
}

/** `exp` of a JWT in epoch ms (no verification: the server does that). */
function expiryOf(token: string): number {
  try {
    const payload = token.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const exp = (JSON.parse(json) as { exp?: number }).exp;
    if (typeof exp === "number") return exp * 1000;
  } catch {
    // Fall through to a conservative default.
  }
  return Date.now() + 5 * 60_000;
}

/** A fresh Idempotency-Key per user action: a retried click is applied once. */
export const newKey = (): string => crypto.randomUUID();
