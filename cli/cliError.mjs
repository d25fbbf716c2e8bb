/**
 * A failure the CLI reports and exits 1 on: a stable `code` (scripts may match it) and a
 * readable message. Commands throw it; bin/hearth.mjs prints `hearth: <message> [<code>]`.
 */
export class CliError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = "CliError";
    this.code = code;
  }
}
