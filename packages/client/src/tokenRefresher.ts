import type { ConnectionPort } from "./connectionPort.js";
import { HearthClientError } from "./hearthClientError.js";
import type { HearthSocketSettings } from "./hearthSocketSettings.js";
import { promiseFrom } from "./promiseFrom.js";
import { refreshDelay, TOKEN_FRAME, type TokenAnswer } from "./tokenRefresh.js";

/** What the refresh needs of its socket, and nothing more. */
export interface TokenRefresherHost extends ConnectionPort<"refresh"> {
  error(error: HearthClientError): void;
  refreshed(expiresAt: number | null): void;
}

type Settings = Pick<HearthSocketSettings<object>, "getToken" | "refreshMarginMs" | "clock">;

/**
 * [K6] Keeps an open socket's token fresh: before it expires, fetches a new one with `getToken`
 * and presents it over the socket, so a long session is not dropped at the token's `exp`.
 * The frame and the timing math are tokenRefresh.ts; this is the timer and the answers.
 */
export class TokenRefresher {
  constructor(
    private readonly settings: Settings,
    private readonly host: TokenRefresherHost,
  ) {}

  /** Arms the refresh for a token expiring at `expiresAt` (ms): only with `getToken`, a margin, and a known expiry. */
  schedule(generation: number, expiresAt: number | null | undefined): void {
    if (!this.host.isCurrent(generation) || !this.settings.getToken || this.settings.refreshMarginMs <= 0 || expiresAt == null) return;
    this.host.timers.set("refresh", refreshDelay(expiresAt, this.settings.clock.now(), this.settings.refreshMarginMs), () => this.refresh(generation, expiresAt));
  }

  /** The server's answer to a presented token. */
  answered(generation: number, answer: TokenAnswer): void {
    if (!answer.ok) {
      // The server can't check tokens on open sockets: the socket closes at `exp` and the reconnect fetches a fresh one.
      this.host.error(new HearthClientError("TOKEN_REFRESH_REFUSED", `The server did not take the fresh token (${answer.code ?? "refused"})`));
      return;
    }
    this.host.refreshed(answer.expiresAt);
    this.schedule(generation, answer.expiresAt);
  }

  /**
   * Fetches a fresh token and presents it over the open socket. A failed fetch is retried
   * while the current token lasts; after that the server closes 4001 and the reconnect takes over.
   */
  private refresh(generation: number, current: number): void {
    promiseFrom(() => this.settings.getToken!()).then(
      (token) => {
        if (!this.host.isCurrent(generation)) return;
        this.host.sendRaw(JSON.stringify({ type: TOKEN_FRAME, token }));
      },
      (error: unknown) => {
        if (!this.host.isCurrent(generation)) return;
        this.host.error(new HearthClientError("TOKEN_FAILED", "getToken failed (refresh)", error));
        if (current - this.settings.clock.now() > 2_000) this.schedule(generation, current);
      },
    );
  }
}
