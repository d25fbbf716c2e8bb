// A small POST client over node:http with keep-alive: cheaper per request than fetch, so the load
// generator's core goes to sockets, and every failure comes back as a value, never a throw.
import http from "node:http";

export function keepAliveAgent(maxSockets) {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

/**
 * POSTs `body` to `url`. Resolves {status, text} or, when no response came, {status: 0, error}
 * (ECONNRESET, "socket hang up", ETIMEDOUT, ...).
 */
export function request(url, { body = "", headers = {}, agent, timeoutMs = 15_000 } = {}) {
  const u = typeof url === "string" ? new URL(url) : url;
  return new Promise((resolve) => {
    let done = false;
    const finish = (value) => {
      if (!done) {
        done = true;
        resolve(value);
      }
    };
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: "POST",
        agent: agent ?? false,
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          finish({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), retryAfter: res.headers["retry-after"] }),
        );
        res.on("error", (e) => finish({ status: 0, error: e.code ?? e.message }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    req.on("error", (e) => finish({ status: 0, error: e.code ?? e.message }));
    req.end(body);
  });
}
