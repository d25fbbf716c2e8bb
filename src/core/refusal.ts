/**
 * How a connect refusal reaches whoever asked. "http": a JSON error before
 * the upgrade (Hearth's own routes), except capacity, which always closes with
 * 4009 so a client learns to back off; "close": accept and close with a code
 * (seeds that demand 4003/4004/4009, every client offering `hearth`).
 */
export type RefusalStyle = "http" | "close";

/**
 * Whether a connect refusal goes back over HTTP (true) or as a close.
 * Capacity ("roomFull", "userFull") always closes with 4009.
 */
export function refusesOverHttp(style: RefusalStyle | undefined, why: "roomFull" | "userFull" | "other"): boolean {
  return style === "http" && why === "other";
}
