import type { RoomHost } from "./RoomHost.ts";

/**
 * The object's one alarm, shared by everything that needs waking: the kind's
 * timer, outbox retries, socket deadlines (token expiry, idle, age) and
 * retention. Each asks for a time; the alarm is set to the earliest one.
 * Alarms are at-least-once, so whatever runs on it must be idempotent.
 */
export class AlarmClock {
  readonly #host: RoomHost;
  /** The alarm as last set or read; undefined until read once per instance. */
  #at: number | null | undefined;

  constructor(host: RoomHost) {
    this.#host = host;
  }

  /** Makes sure the alarm fires at `at` or earlier. */
  async ensure(at: number | null): Promise<void> {
    if (at === null) return;
    if (this.#at === undefined) {
      const read = await this.#host.getAlarm();
      // Another ensure() may have set it while we waited: keep what it set.
      if (this.#at === undefined) this.#at = read;
    }
    if (this.#at !== null && this.#at <= at) return;
    this.#at = at;
    await this.#host.setAlarm(at);
  }

  /**
   * The alarm is running: nothing is scheduled until something asks again. Returns when it was
   * due, if this instance set it (null after a wake-up from hibernation or on a retry): a busy
   * object runs its alarm late, and the sweep judges silence as of this time (sweep.ts).
   */
  fired(): number | null {
    const due = this.#at ?? null;
    this.#at = null;
    return due;
  }
}
