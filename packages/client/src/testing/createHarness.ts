import { HearthSocket, type HearthSocketOptions, type HearthSocketEvents } from "../hearthSocket.js";
import { FakeClock, flushMicrotasks } from "./fakeClock.js";
import { fakeWebSocketClass, type FakeWebSocket, type OpenOptions } from "./fakeWebSocket.js";

type Frame = Record<string, unknown>;

export interface Harness {
  client: HearthSocket<Frame, Frame>;
  clock: FakeClock;
  sockets: FakeWebSocket[];
  /** Every event in order, as [name, payload]. */
  events: Array<[keyof HearthSocketEvents, unknown]>;
  /** Payloads of one event kind, in order. */
  of<K extends keyof HearthSocketEvents>(name: K): HearthSocketEvents[K][];
  /** The most recently created socket (throws if none). */
  latest(): FakeWebSocket;
  /** Lets token promises settle so the socket for the current attempt exists. */
  settle(): Promise<void>;
  /**
   * settle + open the latest socket. A fresh connection gets its snapshot at once unless
   * `{ snapshot: false }`; see `FakeWebSocket.open`.
   */
  openLatest(options?: OpenOptions): Promise<FakeWebSocket>;
}

/**
 * A client wired to a fake clock and fake sockets, with deterministic jitter
 * (random = 0.5 unless given) and no browser lifecycle hooks.
 */
export function createHarness(options: Partial<HearthSocketOptions<Frame>> = {}): Harness {
  const clock = new FakeClock();
  const { WebSocket, sockets } = fakeWebSocketClass();
  const client = new HearthSocket<Frame, Frame>({
    url: "wss://hearth.test/ws/room/r1",
    token: "jwt-1",
    WebSocket,
    clock,
    random: () => 0.5,
    lifecycle: false,
    ...options,
  });
  const events: Harness["events"] = [];
  for (const name of ["state", "frame", "snapshot", "resumed", "ack", "refreshed", "close", "error"] as const) {
    client.on(name, (payload) => events.push([name, payload]));
  }
  const latest = () => {
    const socket = sockets[sockets.length - 1];
    if (!socket) throw new Error("no socket created yet");
    return socket;
  };
  return {
    client,
    clock,
    sockets,
    events,
    of: <K extends keyof HearthSocketEvents>(name: K) =>
      events.filter(([event]) => event === name).map(([, payload]) => payload as HearthSocketEvents[K]),
    latest,
    settle: () => flushMicrotasks(),
    openLatest: async (options?: OpenOptions) => {
      await flushMicrotasks();
      const socket = latest();
      socket.open(options);
      return socket;
    },
  };
}
