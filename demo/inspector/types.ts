/** The admin API's shapes the inspector reads (src/worker/roomInspectorRoutes.ts, src/room/inspect.ts). */
import type { Figures } from "./charts";

export interface Listed {
  name: string;
  kind: string;
  roomId: string;
  createdAt: number;
  href: string | null;
}

export interface Connection {
  connId: string;
  userId: string;
  name: string;
  role: string;
  connectedAt: number;
}

export interface AdminRoom {
  name: string;
  kind: string;
  roomId: string;
  seq: number;
  epoch: string;
  createdAt: number;
  state: unknown;
  href: string | null;
  connections: { total: number; list: Connection[] } | null;
  metrics: (Figures & { errors?: { total: number; byCode: Record<string, number> }; broadcasts: Figures["broadcasts"] & { latencyMs: { mean: number } } }) | null;
}

export interface JournalInput {
  /** The head after the input (its last logged seq) and before it: it logged the entries h+1..seq. */
  seq: number;
  h: number;
  at: number;
  source: string;
  actor: { userId: string };
  body: unknown;
}

export interface LogPage {
  head: number;
  tail: number;
  next: number | null;
  entries: { seq: number; at: number; frame: unknown; to: string[] | null; groups?: string[] }[];
  inputs: JournalInput[];
}

export interface Travel {
  at: number;
  head: number;
  state: unknown;
  online: string[];
  inputs: number;
}

/** GET one admin path as the page's operator (rooms:admin). */
export type AdminGet = <T>(path: string) => Promise<T>;
