/**
 * The part of the WebSocket API the SDK uses. Browsers' and workerd's
 * WebSocket both satisfy it, as does a test fake; `ws` in Node too with a cast.
 */
export interface WebSocketLike {
  /** 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED. */
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  // `any` because each runtime types its event objects differently; the SDK
  // reads only `data` (message) and `code`/`reason` (close).
  addEventListener(type: "open" | "message" | "close" | "error", listener: (event: any) => void): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;
