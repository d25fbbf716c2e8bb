import type { ConnectionPort } from "./connectionPort.js";
import type { HearthSocketSettings } from "./hearthSocketSettings.js";

/** What the heartbeat needs of its socket, and nothing more. */
export interface HeartbeatHost extends ConnectionPort<"ping" | "watchdog"> {
  /** The connection is dead; `immediate` when a wake-up found it so (reconnect without waiting). */
  dead(generation: number, reason: string, immediate: boolean): void;
}

type Settings = Pick<HearthSocketSettings<object>, "pingIntervalMs" | "deadAfterMs" | "probeTimeoutMs" | "clock">;

/**
 * The heartbeat of one socket's connections: a text `ping` every pingIntervalMs, and a watchdog
 * that calls the connection dead once nothing arrived for deadAfterMs, or a wake-up's probe went
 * unanswered for probeTimeoutMs. Browsers never tell a page that its socket died silently (a
 * laptop sleep, a lost Wi-Fi), so silence is the only sign.
 */
export class HeartbeatWatchdog {
  private lastReceivedAt = 0;
  private probeDeadline: number | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly host: HeartbeatHost,
  ) {}

  /** Something arrived (a `pong` too): the connection is alive, and any probe is answered. */
  heard(now: number): void {
    this.lastReceivedAt = now;
    this.probeDeadline = undefined;
  }

  /** No probe is outstanding any more (the connection it probed is gone). */
  forgetProbe(): void {
    this.probeDeadline = undefined;
  }

  /** Starts pinging and watching a connection that just opened. */
  start(generation: number): void {
    if (this.settings.pingIntervalMs > 0) {
      const tick = () => {
        if (!this.host.isCurrent(generation)) return;
        // Plain text "ping": answered by the runtime's auto-response, so it never wakes the room.
        this.host.sendRaw("ping");
        this.host.timers.set("ping", this.settings.pingIntervalMs, tick);
      };
      this.host.timers.set("ping", this.settings.pingIntervalMs, tick);
    }
    this.armWatchdog(generation);
  }

  /**
   * A wake-up (tab visible, back online): timers may have been throttled or frozen, so check now.
   * Silent too long means dead at once; otherwise a probe ping must be answered in time.
   */
  wake(generation: number): void {
    const { clock, deadAfterMs, probeTimeoutMs } = this.settings;
    if (deadAfterMs > 0 && clock.now() - this.lastReceivedAt >= deadAfterMs) {
      this.host.dead(generation, "no data received (checked on wake)", true);
      return;
    }
    if (probeTimeoutMs > 0 && this.host.sendRaw("ping")) {
      this.probeDeadline = clock.now() + probeTimeoutMs;
      this.armWatchdog(generation);
    }
  }

  /** One timer for "silent too long" and "probe unanswered", re-armed lazily instead of per message. */
  private armWatchdog(generation: number): void {
    const deadline = this.deadline();
    if (deadline === undefined) return;
    this.host.timers.set("watchdog", Math.max(0, deadline - this.settings.clock.now()), () => {
      if (!this.host.isCurrent(generation)) return;
      const current = this.deadline();
      if (current !== undefined && this.settings.clock.now() >= current) {
        this.host.dead(generation, "no data received (dead connection)", false);
      } else {
        this.armWatchdog(generation);
      }
    });
  }

  private deadline(): number | undefined {
    const silent = this.settings.deadAfterMs > 0 ? this.lastReceivedAt + this.settings.deadAfterMs : undefined;
    const probe = this.probeDeadline;
    if (silent === undefined) return probe;
    return probe === undefined ? silent : Math.min(silent, probe);
  }
}
