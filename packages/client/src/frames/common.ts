/**
 * Fields Hearth adds to frames (PROTOCOLS.md section 1): `seq`/`epoch` on every logged
 * broadcast, `recovered` on the resume marker and fallback snapshot. Frames may carry more
 * fields than these files list; old clients ignore them. Types only: nothing here exists at runtime.
 */
export interface Sequenced {
  seq?: number;
  epoch?: string;
}

/** An ISO-8601 timestamp string. */
export type IsoTime = string;
