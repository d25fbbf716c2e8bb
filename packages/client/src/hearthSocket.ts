import { browserLifecycle } from "./browserLifecycle.js";
import { CLOSE_CODES } from "./closePolicy.js";
import { CurrentSocket } from "./currentSocket.js";
import { DocumentDeltas } from "./documentDeltas.js";
import { FlowControlCursor } from "./flowControlCursor.js";
import { FrameDispatch } from "./frameDispatch.js";
import { HearthClientError } from "./hearthClientError.js";
import { HeartbeatWatchdog } from "./heartbeatWatchdog.js";
import type { ConnectionState, HearthAck, HearthSocketEvents, HearthSocketOptions } from "./hearthSocketTypes.js";
import { resolveSettings, type HearthSocketSettings } from "./hearthSocketSettings.js";
import { NamedTimers } from "./namedTimers.js";
import { connectRequest, openWebSocket } from "./openWebSocket.js";
import { Outbox } from "./outbox.js";
import { promiseFrom } from "./promiseFrom.js";
import { ResumeCursor, type CursorPosition } from "./resumeCursor.js";
import { RetrySchedule } from "./retrySchedule.js";
import { tokenExpiry } from "./tokenRefresh.js";
import { TokenRefresher } from "./tokenRefresher.js";
import { SocketEvents } from "./socketEvents.js";
import type { Unsubscribe } from "./typedEmitter.js";

export type { ConnectionState, HearthAck, HearthCloseInfo, HearthSnapshot, HearthSocketEvents, HearthSocketOptions } from "./hearthSocketTypes.js";

type Phase = "idle" | "token" | "opening" | "replaying" | "live" | "waiting" | "closed";
type TimerName = "retry" | "connect" | "ping" | "watchdog" | "resume" | "refresh" | "cursor";

/**
 * A reconnecting, resuming WebSocket to one Hearth room.
 *
 * Invariants (each guarded and tested):
 * - at most one socket exists; every socket callback carries the generation it
 *   was created in and is ignored once that generation is over;
 * - the app sees every logged frame once, in order; snapshots replace state;
 * - queued messages go out in order, only once the connection has caught up
 *   (a fresh connection's snapshot, or the end of the resume replay).
 *
 * @example
 * const room = new HearthSocket({ url: "wss://hearth.example/ws/feed", getToken: fetchJwt });
 * room.on("frame", (frame) => render(frame));
 * room.on("state", (state) => badge.textContent = state);
 */
export class HearthSocket<In extends object = Record<string, unknown>, Out extends object = Record<string, unknown>> extends SocketEvents<HearthSocketEvents<In>> {
  /** The options with their defaults filled in (hearthSocketSettings.ts). */
  private readonly settings: HearthSocketSettings<Out>;

  private readonly cursor: ResumeCursor;
  private readonly outbox: Outbox;
  private readonly timers: NamedTimers<TimerName>;
  private readonly stopLifecycle: Unsubscribe | undefined;
  private readonly heartbeat: HeartbeatWatchdog;
  private readonly tokenRefresher: TokenRefresher;
  private readonly flowControl: FlowControlCursor;
  private readonly frames: FrameDispatch<In>;
  private readonly retry: RetrySchedule;

  /** The one socket, and the generation its callbacks carry. */
  private readonly socket = new CurrentSocket();
  private phase: Phase = "token";
  private currentState: ConnectionState = "connecting";
  private everLive = false;

  constructor(options: HearthSocketOptions<Out>) {
    super();
    this.settings = resolveSettings(options);
    this.timers = new NamedTimers(this.settings.clock);
    this.cursor = new ResumeCursor(options.resumeFrom);
    this.outbox = new Outbox(options.queueMax ?? 100);
    this.retry = new RetrySchedule(this.settings);
    // The heartbeat, the token refresh and the flow-control cursor share one port to the connection.
    const port = { timers: this.timers, isCurrent: (generation: number) => this.socket.isCurrent(generation), sendRaw: (text: string) => this.socket.send(text) };
    this.heartbeat = new HeartbeatWatchdog(this.settings, {
      ...port,
      dead: (generation, reason, immediate) => this.handleLoss(generation, CLOSE_CODES.ABNORMAL, reason, immediate),
    });
    this.tokenRefresher = new TokenRefresher(this.settings, {
      ...port,
      error: (error) => this.emitter.emit("error", error),
      refreshed: (expiresAt) => this.emitter.emit("refreshed", { expiresAt }),
    });
    this.flowControl = new FlowControlCursor(this.settings.cursorIntervalMs, port);
    this.frames = new FrameDispatch<In>({
      cursor: this.cursor,
      outbox: this.outbox,
      // [W1] Documents kept to rebuild deltas, when the app asked for them.
      documents: options.documents && new DocumentDeltas(options.documents),
      flowControl: this.flowControl,
      tokenRefresher: this.tokenRefresher,
      emit: (event, payload) => this.emitter.emit(event, payload),
      isCurrent: port.isCurrent,
      catchingUp: () => this.phase === "replaying",
      caughtUp: (generation) => this.goLive(generation),
      reconnect: () => this.startAttempt(),
    });

    // Fail fast on a malformed URL: that is a programming error, not something to retry.
    connectRequest(this.settings);

    const lifecycle = options.lifecycle ?? browserLifecycle;
    this.stopLifecycle = lifecycle === false ? undefined : lifecycle((reason) => this.wake(reason));
    if (options.startClosed) {
      this.phase = "idle";
      this.currentState = "idle";
    } else {
      this.startAttempt();
    }
  }

  /**
   * Starts connecting a socket created with `startClosed`; a no-op when it is
   * already connecting or live.
   * @throws HearthClientError CLOSED after close (a closed HearthSocket stays closed: make a new one).
   */
  connect(): void {
    this.assertNotClosed();
    if (this.phase === "idle") this.startAttempt();
  }

  /**
   * Resolves once the socket is live (connected and caught up: snapshot or
   * resume done), at once if it is live now. Rejects with CLOSED if it closes
   * for good first. It does not connect an idle socket: call `connect()`.
   */
  ready(): Promise<void> {
    if (this.currentState === "live") return Promise.resolve();
    if (this.phase === "closed") return Promise.reject(new HearthClientError("CLOSED", "HearthSocket is closed"));
    return new Promise<void>((resolve, reject) => {
      const stop = this.emitter.on("state", (state) => {
        if (state === "live") {
          stop();
          resolve();
        } else if (state === "closed") {
          stop();
          reject(new HearthClientError("CLOSED", "HearthSocket closed before it was live"));
        }
      });
    });
  }

  /** Current connection state. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /**
   * WebSocket-style readyState for code written against WebSocket or partysocket:
   * 1 (OPEN) when live, 3 (CLOSED) when closed or idle (`startClosed`), else 0 (CONNECTING).
   * OPEN means caught up, not merely open: `send` goes straight out.
   */
  get readyState(): 0 | 1 | 3 {
    if (this.currentState === "live") return 1;
    return this.currentState === "closed" || this.currentState === "idle" ? 3 : 0;
  }

  /** Last delivered position in the room's log; save it to resume after a reload (`resumeFrom`). */
  get position(): CursorPosition | undefined {
    return this.cursor.position;
  }

  /** Messages held: queued sends plus commands not yet acknowledged. */
  get pending(): number {
    return this.outbox.size;
  }

  /**
   * Fire-and-forget: sent now when live, else queued and sent once live.
   * Not retried if the socket dies right after sending; use `sendCommand` for
   * anything that must arrive.
   * @throws HearthClientError CLOSED after close, QUEUE_FULL when queueMax messages are held.
   */
  send(frame: Out): void {
    this.assertNotClosed();
    const text = JSON.stringify(frame);
    const socket = this.liveSocket();
    if (socket) {
      socket.send(text);
      return;
    }
    this.outbox.push({ text, sentOn: -1 });
  }

  /**
   * Sends a command with an `id` (the given one, or a fresh one) and keeps it
   * until the server acknowledges it, resending it on every new connection; the
   * server applies an id once, so resends are safe. The promise resolves with
   * the ack, rejects with COMMAND_REJECTED if the server answered with an error
   * frame naming the id, or CLOSED if the socket closes for good first. It is
   * pre-marked as handled, so not awaiting it never causes unhandled rejections.
   * @throws HearthClientError CLOSED after close, QUEUE_FULL when queueMax messages are held.
   */
  sendCommand(command: Out & { id?: string }): Promise<HearthAck> {
    this.assertNotClosed();
    const id = typeof command.id === "string" && command.id !== "" ? command.id : this.settings.createId();
    const acked = this.outbox.pushCommand<HearthAck>(JSON.stringify({ ...command, id }), id);
    this.flush();
    return acked;
  }

  /**
   * Drops the current connection (if any) and connects again right away, e.g.
   * after the app changed what `getToken` returns. Does not count as a failure.
   */
  reconnect(): void {
    if (this.phase === "closed") return;
    this.startAttempt();
  }

  /**
   * Checks the connection now instead of waiting for timers (which browsers
   * throttle in background tabs): a pending retry starts immediately; an open
   * socket that has been silent too long is replaced; otherwise a probe ping
   * must be answered within probeTimeoutMs. Called automatically on `online`,
   * tab visible and bfcache restore; apps on other platforms may call it on
   * their own resume signal.
   */
  wake(_reason?: string): void {
    // "token"/"opening" have the connect timeout; "idle" waits for the app, and "closed" is final.
    if (this.phase === "waiting") this.startAttempt();
    else if (this.phase === "live" || this.phase === "replaying") this.heartbeat.wake(this.socket.generation);
  }

  /**
   * Final: closes the socket, stops every timer and listener on the
   * environment, and rejects unacknowledged commands with CLOSED. Queued
   * messages are discarded. Idempotent.
   */
  close(code: number = CLOSE_CODES.NORMAL, reason = "client closed"): void {
    if (this.phase === "closed") return;
    this.finish(code, reason, true);
  }

  // ---- connection lifecycle ------------------------------------------------

  private startAttempt(): void {
    this.abandonConnection();
    const generation = this.socket.generation;
    this.phase = "token";
    this.timers.set("connect", this.settings.connectTimeoutMs, () =>
      this.handleLoss(generation, CLOSE_CODES.ABNORMAL, "connect timeout"),
    );
    promiseFrom(() => (this.settings.getToken ? this.settings.getToken() : this.settings.token)).then(
      (value) => {
        // A getToken that resolves after a newer attempt started (or after close) must not open a socket.
        if (!this.socket.isCurrent(generation)) return;
        this.openSocket(generation, value);
      },
      (error: unknown) => {
        if (!this.socket.isCurrent(generation)) return;
        this.emitter.emit("error", new HearthClientError("TOKEN_FAILED", "getToken failed", error));
        this.handleLoss(generation, CLOSE_CODES.ABNORMAL, "token unavailable");
      },
    );
    // Last, so a state listener that calls close() sees a consistent attempt to cancel.
    this.setState(this.everLive ? "reconnecting" : "connecting");
  }

  private openSocket(generation: number, token: string | undefined): void {
    const cursor = this.cursor.position;
    try {
      this.socket.attach(openWebSocket(this.settings, token, cursor, {
        open: () => {
          this.onOpen(generation, cursor !== undefined);
          if (token !== undefined) this.tokenRefresher.schedule(generation, tokenExpiry(token));
        },
        message: (data) => {
          if (!this.socket.isCurrent(generation)) return;
          // Anything at all, a pong too, shows the connection is alive.
          this.heartbeat.heard(this.settings.clock.now());
          this.frames.message(generation, data);
        },
        close: (code, reason) => this.handleLoss(generation, code, reason),
      }));
    } catch (error) {
      this.emitter.emit("error", new HearthClientError("SOCKET_FAILED", "WebSocket constructor threw", error));
      this.handleLoss(generation, CLOSE_CODES.ABNORMAL, "socket could not be created");
      return;
    }
    this.phase = "opening";
  }

  private onOpen(generation: number, resuming: boolean): void {
    if (!this.socket.isCurrent(generation)) return;
    this.timers.clear("connect");
    const now = this.settings.clock.now();
    this.retry.opened(now);
    this.heartbeat.heard(now);
    this.flowControl.reset();
    // Fresh or resuming, the app's data comes first: a fresh connection is live once its first
    // snapshot arrived (every Hearth route sends one), a resume once its replay ended.
    this.phase = "replaying";
    this.sendHello();
    this.heartbeat.start(generation);
    this.frames.opened();
    this.timers.set("resume", this.settings.resumeTimeoutMs, () => {
      if (!this.socket.isCurrent(generation) || this.phase !== "replaying") return;
      this.emitter.emit(
        "error",
        resuming
          ? new HearthClientError("RESUME_TIMEOUT", "Resume did not finish in time; continuing without its marker")
          : new HearthClientError("SNAPSHOT_TIMEOUT", "No snapshot arrived in time; continuing without it"),
      );
      if (this.socket.isCurrent(generation)) this.goLive(generation);
    });
  }

  private goLive(generation: number): void {
    if (!this.socket.isCurrent(generation)) return;
    this.timers.clear("resume");
    this.phase = "live";
    this.everLive = true;
    // Flush before announcing "live": a state listener that sends must not overtake the queue.
    this.flush();
    this.setState("live");
  }

  /**
   * One place decides what happens after any connection ends: server close,
   * network death, connect/heartbeat timeout, token failure.
   */
  private handleLoss(generation: number, code: number, reason: string, immediate = false): void {
    if (!this.socket.isCurrent(generation) || this.phase === "closed") return;
    const delay = this.retry.afterLoss(code, this.settings.clock.now(), immediate);
    this.abandonConnection();
    if (delay === "final") {
      this.finish(code, reason, false);
      return;
    }
    this.phase = "waiting";
    // Timer first, events second: a listener that calls reconnect()/close() cancels it cleanly.
    this.timers.set("retry", delay, () => this.startAttempt());
    this.emitter.emit("close", { code, reason, final: false, retryInMs: delay });
    if (this.phase === "waiting") this.setState(this.everLive ? "reconnecting" : "connecting");
  }

  private finish(code: number, reason: string, byClient: boolean): void {
    const socket = this.socket.detach();
    this.timers.clearAll();
    this.retry.dropped();
    this.phase = "closed";
    if (socket) {
      try {
        socket.close(byClient ? code : CLOSE_CODES.NORMAL, reason);
      } catch {
        // Browsers throw on codes outside 1000/3000-4999; the socket still gets dropped.
        socket.close();
      }
    }
    this.stopLifecycle?.();
    this.outbox.failAll(() => new HearthClientError("CLOSED", `Connection closed (${code}) before the server acknowledged`));
    this.emitter.emit("close", { code, reason, final: true });
    this.setState("closed");
  }

  /** Ends the current connection or attempt, whatever its phase, so that at most one socket ever exists. */
  private abandonConnection(): void {
    const socket = this.socket.detach();
    this.retry.dropped();
    this.heartbeat.forgetProbe();
    this.timers.clearAll();
    try {
      socket?.close(CLOSE_CODES.NORMAL, "client reconnecting");
    } catch {
      // Already failing; its late events are ignored through the generation check.
    }
  }

  // ---- sending -------------------------------------------------------------

  private liveSocket() {
    return this.phase === "live" ? this.socket.open : undefined;
  }

  private flush(): void {
    const socket = this.liveSocket();
    if (socket) this.outbox.sendUnsent(this.socket.generation, (text) => socket.send(text));
  }

  private sendHello(): void {
    const frames = this.settings.hello?.();
    if (frames === undefined) return;
    const list: readonly Out[] = Array.isArray(frames) ? frames : [frames as Out];
    for (const frame of list) this.socket.send(JSON.stringify(frame));
  }

  // ---- small helpers -------------------------------------------------------

  private setState(next: ConnectionState): void {
    if (next === this.currentState) return;
    this.currentState = next;
    this.emitter.emit("state", next);
  }

  private assertNotClosed(): void {
    if (this.phase === "closed") throw new HearthClientError("CLOSED", "HearthSocket is closed");
  }
}
