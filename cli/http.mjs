// One HTTP call to Hearth, answered as a value: the status, the parsed JSON body (or the text
// when it is not JSON) and the headers. Only a failure to reach the server throws.
import { CliError } from "./cliError.mjs";

/**
 * @param {string} base the server, e.g. http://localhost:8787
 * @param {string} path e.g. /api/rooms
 * @param {{ method?: string, token?: string, body?: string, headers?: Record<string, string> }} [options]
 */
export async function request(base, path, options = {}) {
  const url = new URL(path, base).toString();
  const headers = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] ??= "application/json";
  let res;
  try {
    res = await fetch(url, { method: options.method ?? "GET", headers, body: options.body });
  } catch (error) {
    throw new CliError("UNREACHABLE", `Cannot reach ${base} (${error?.cause?.code ?? error?.message ?? error}). Is the server running (npm start)? Set --url or H.`);
  }
  const text = await res.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  return { ok: res.ok, status: res.status, body, headers: res.headers, method: options.method ?? "GET", path };
}

/** A non-2xx answer as a CliError carrying the server's own code and message. */
export function httpFailure(answer) {
  const error = answer.body?.error;
  const code = typeof error?.code === "string" ? error.code : `HTTP_${answer.status}`;
  const message = typeof error?.message === "string" ? error.message : typeof answer.body === "string" ? answer.body.slice(0, 300) : JSON.stringify(answer.body).slice(0, 300);
  const details = error?.details === undefined ? "" : ` ${JSON.stringify(error.details).slice(0, 300)}`;
  return new CliError(code, `${answer.method} ${answer.path} -> ${answer.status}: ${message}${details}`);
}

/** The body of a 2xx answer, else throws the server's error. */
export async function requestJson(base, path, options) {
  const answer = await request(base, path, options);
  if (!answer.ok) throw httpFailure(answer);
  return answer.body;
}
