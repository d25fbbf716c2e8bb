import type { WebSocketLike } from "./webSocketLike.js";

const OPEN = 1;

/**
 * The one socket a HearthSocket has at a time, and its generation. Every callback of a socket
 * (or of an attempt still fetching its token) carries the generation it was made in and is
 * ignored once `detach` ended it, so an abandoned socket's late events can never act.
 */
export class CurrentSocket {
  private socket: WebSocketLike | undefined;
  /** Bumped whenever a connection (or attempt) is abandoned: stale callbacks compare against it. */
  private current = 0;

  get generation(): number {
    return this.current;
  }

  isCurrent(generation: number): boolean {
    return generation === this.current;
  }

  /** The socket of the current generation's attempt. */
  attach(socket: WebSocketLike): void {
    this.socket = socket;
  }

  /** The socket, when it is open. */
  get open(): WebSocketLike | undefined {
    const socket = this.socket;
    return socket !== undefined && socket.readyState === OPEN ? socket : undefined;
  }

  /** Sends on the open socket; false when there is none. */
  send(text: string): boolean {
    const socket = this.open;
    if (!socket) return false;
    socket.send(text);
    return true;
  }

  /**
   * Ends the current generation and lets go of its socket. Returns the socket when it is still
   * connecting or open: the caller closes it, with its own code and its own answer to a runtime
   * that refuses that code.
   */
  detach(): WebSocketLike | undefined {
    const socket = this.socket;
    this.socket = undefined;
    this.current++;
    return socket && socket.readyState <= OPEN ? socket : undefined;
  }
}
