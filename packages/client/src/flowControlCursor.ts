import type { ConnectionPort } from "./connectionPort.js";

/**
 * [F1] Tells the room how much of what it sent has arrived: the wire frames of this connection
 * and their `length`, in a small `cursor` frame at most once per intervalMs, none while nothing
 * arrives. The room closes a socket that stops acknowledging with 4011 once its backlog passes
 * the system's bound; the SDK then reconnects and resumes.
 */
export class FlowControlCursor {
  private received = { frames: 0, chars: 0 };
  /** Whether the room speaks the `{event, data}` family (its cursor frame takes that shape). */
  private eventFamily = false;

  constructor(
    private readonly intervalMs: number,
    private readonly host: ConnectionPort<"cursor">,
  ) {}

  /** A new connection: the room counts from zero again. */
  reset(): void {
    this.received = { frames: 0, chars: 0 };
  }

  /**
   * Counts a wire frame the room sent (the runtime's text `pong` is not one; a frame the SDK
   * can't use is) and makes sure a cursor saying so goes out within intervalMs.
   */
  count(generation: number, text: string): void {
    this.received.frames++;
    this.received.chars += text.length;
    if (this.intervalMs <= 0 || this.host.timers.has("cursor")) return;
    this.host.timers.set("cursor", this.intervalMs, () => {
      if (!this.host.isCurrent(generation)) return;
      const body = { frames: this.received.frames, chars: this.received.chars };
      this.host.sendRaw(JSON.stringify(this.eventFamily ? { event: "cursor", data: body } : { type: "cursor", ...body }));
    });
  }

  /** Learns the room's frame family from a frame it sent (a parsed wire frame, batch or not). */
  noteFamily(frame: Record<string, unknown>): void {
    this.eventFamily = typeof frame.event === "string" && frame.type === undefined;
  }
}
