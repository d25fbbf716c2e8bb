// Where the server is and which token to use, from the command line or the environment, and
// the token the CLI mints itself on a local server when none is given.
import { Option } from "commander";
import { CliError } from "./cliError.mjs";
import { requestJson } from "./http.mjs";

export const DEFAULT_URL = "http://localhost:8787";

/** The claims of the token the CLI mints for itself locally: an operator that may also publish. */
export const CLI_CLAIMS = { sub: "hearth-cli", name: "hearth CLI", scope: "rooms:admin events:publish" };

/** The global options every command reads (`--url`/H, `--token`/HEARTH_TOKEN). */
export function globalOptions() {
  return [
    new Option("--url <url>", "where Hearth runs").env("H").default(DEFAULT_URL),
    new Option("--token <jwt>", "the token to send (default: minted by POST /dev/token)").env("HEARTH_TOKEN"),
  ];
}

/** The server's base URL, checked. */
export function serverUrl(options) {
  const url = options.url ?? DEFAULT_URL;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError("BAD_URL", `Not a URL: ${url} (expected e.g. ${DEFAULT_URL}).`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new CliError("BAD_URL", `The server URL must be http:// or https://, not ${url}.`);
  return url.replace(/\/+$/, "");
}

/** A token from POST /dev/token (local servers only). */
export async function mintToken(url, claims) {
  const body = await requestJson(url, "/dev/token", { method: "POST", body: JSON.stringify(claims) }).catch((error) => {
    if (error.code === "NOT_FOUND") throw new CliError("NO_DEV_TOKEN", `${url} has no /dev/token (a production server): pass --token or set HEARTH_TOKEN.`);
    throw error;
  });
  if (typeof body?.token !== "string") throw new CliError("BAD_ANSWER", `POST /dev/token answered without a token: ${JSON.stringify(body).slice(0, 200)}`);
  return body.token;
}

/**
 * The token source for a command: the given one, or a freshly minted CLI token. `fresh()` is
 * what a socket calls after a 4001: a minted token can be minted again, a given one cannot.
 */
export function tokenSource(options) {
  const url = serverUrl(options);
  if (options.token) return { get: async () => options.token, fresh: null };
  let cached;
  const mint = async () => (cached = await mintToken(url, CLI_CLAIMS));
  return { get: async () => cached ?? mint(), fresh: mint };
}
