// The four systems under test, each behind the same small adapter:
//   start() -> server { http, ws, pid, stop() }
//   room(server, id) -> { create(), prepare(clients), socketUrl(clientId, {since, epoch}),
//                         publish(payload, key) -> {url, body, headers} }
// Three of them share one bench worker in workerd; the Node `ws` ceiling runs as its own process.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";
import { JWT_SECRET, startWorkerd } from "./workerd.mjs";
import { request } from "./http.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts workerd with the bench worker for one measurement (fresh process, fresh storage). */
async function startBenchWorker(ctx) {
  const w = await startWorkerd({ scriptPath: ctx.scriptPath, cpu: ctx.serverCpu, stateDir: ctx.stateDir });
  return { http: w.url, ws: w.url.replace(/^http/, "ws"), pid: w.pid, core: w.pinned ? ctx.serverCpu : null, stop: w.dispose };
}

async function startWsServer(ctx) {
  const args = [path.join(here, "wsServer.mjs"), "--port", "0"];
  const child =
    ctx.serverCpu !== null && ctx.taskset
      ? spawn("taskset", ["-c", String(ctx.serverCpu), process.execPath, ...args], { stdio: ["ignore", "pipe", "inherit"] })
      : spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d;
      const m = /listening (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`ws server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    http: url,
    ws: url.replace(/^http/, "ws"),
    pid: child.pid, // taskset execs node in place, so this is the server's own pid
    core: ctx.serverCpu !== null && ctx.taskset ? ctx.serverCpu : null,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * The `config` Hearth rooms are created with. Default `{"presence":false}`: a broadcast room, like
 * the baselines, none of which announces joins. Hearth's default room (presence on) is measured
 * beside it as its own target, `hearth-default`.
 */
export const HEARTH_ROOM_CONFIG = JSON.parse(process.env.BENCH_HEARTH_ROOM_CONFIG ?? '{"presence":false}');

const secret = new TextEncoder().encode(JWT_SECRET);
const sign = (sub, claims) =>
  new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject(sub).setIssuedAt().setExpirationTime("2h").sign(secret);

let hearthToken;
async function hearthBearer() {
  hearthToken ??= await sign("bench-publisher", { name: "bench publisher", scope: "rooms:admin events:publish" });
  return hearthToken;
}

// One user per socket, as in a real room (Hearth caps sockets per user and tracks presence by user).
const userTokens = [];
async function userTokensUpTo(n) {
  for (let id = userTokens.length; id < n; id++) userTokens.push(await sign(`bench-user-${id}`, { name: `user ${id}` }));
  return userTokens;
}

/**
 * A Hearth target: relay rooms created with `config` (null: the kind's default). Sockets opt in
 * to batch frames with `batch=1`, as the SDK does (HELPERS.md interface 1); the load generator
 * unpacks `{"type":"batch","frames":[...]}` per element, so it works with and without batching.
 */
function hearthTarget(label, config, { batch = true } = {}) {
  return {
    label,
    config,
    start: startBenchWorker,
    resume: true,
    persists: true,
    /** Whether Hearth's generic room API is there yet; returns null when it is, else the reason. */
    async unavailable(server) {
      const token = await hearthBearer();
      const res = await request(`${server.http}/api/rooms`, {
        body: JSON.stringify({ roomId: "bench-probe", kind: "relay" }),
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      });
      if (res.status === 200 || res.status === 201 || res.status === 409) return null;
      return `POST /api/rooms answered ${res.status || res.error}: ${String(res.text ?? "").slice(0, 120)}`;
    },
    async room(server, id) {
      const token = await hearthBearer();
      const auth = { authorization: `Bearer ${token}` };
      return {
        async create() {
          const res = await request(`${server.http}/api/rooms`, {
            body: JSON.stringify({ roomId: id, kind: "relay", ...(config ? { config } : {}) }),
            headers: { ...auth, "content-type": "application/json" },
          });
          if (res.status !== 201 && res.status !== 200) throw new Error(`create room ${id}: ${res.status} ${res.text ?? res.error}`);
        },
        async prepare(clients) {
          await userTokensUpTo(clients);
        },
        socketUrl(client, { since, epoch } = {}) {
          let url = `${server.ws}/ws/rooms/${id}?token=${userTokens[client]}${batch ? "&batch=1" : ""}`;
          if (since !== undefined) url += `&since=${since}${epoch !== undefined ? `&epoch=${encodeURIComponent(epoch)}` : ""}`;
          return url;
        },
        publish(payload, key) {
          return {
            url: `${server.http}/api/rooms/${id}/events`,
            body: `{"type":"publish","data":${payload}}`,
            headers: { ...auth, "content-type": "application/json", "idempotency-key": key },
          };
        },
      };
    },
  };
}

export const TARGETS = {
  hearth: hearthTarget("Hearth", HEARTH_ROOM_CONFIG),
  // What a user gets: the relay kind's default config, presence broadcasts on.
  "hearth-default": hearthTarget("Hearth default", null),
  // The seeds' path: the default room, sockets that don't ask for batches (one frame per event).
  // Used by bench/calibration.mjs (issue 26 item 3), not by the default run.
  "hearth-seed": hearthTarget("Hearth, no batch=1", null, { batch: false }),
  partyserver: {
    label: "partyserver",
    start: startBenchWorker,
    resume: false, // no history: missed events are gone by design
    persists: false,
    async unavailable() {
      return null;
    },
    async room(server, id) {
      return {
        async create() {},
        async prepare() {},
        socketUrl() {
          return `${server.ws}/party/party-room/${id}`;
        },
        publish(payload, key) {
          return {
            url: `${server.http}/party/party-room/${id}`,
            body: payload,
            headers: { "content-type": "application/json", "idempotency-key": key },
          };
        },
      };
    },
  },

  raw: {
    label: "raw DO",
    start: startBenchWorker,
    resume: true,
    persists: true,
    async unavailable() {
      return null;
    },
    async room(server, id) {
      return {
        async create() {},
        async prepare() {},
        socketUrl(_client, { since } = {}) {
          return `${server.ws}/raw/${id}${since !== undefined ? `?since=${since}` : ""}`;
        },
        publish(payload, key) {
          return {
            url: `${server.http}/raw/${id}`,
            body: payload,
            headers: { "content-type": "application/json", "idempotency-key": key },
          };
        },
      };
    },
  },

  ws: {
    label: "Node ws",
    start: startWsServer,
    resume: true, // in memory only
    persists: false,
    async unavailable() {
      return null;
    },
    async room(server, id) {
      return {
        async create() {},
        async prepare() {},
        socketUrl(_client, { since } = {}) {
          return `${server.ws}/rooms/${id}${since !== undefined ? `?since=${since}` : ""}`;
        },
        publish(payload, key) {
          return {
            url: `${server.http}/rooms/${id}/events`,
            body: payload,
            headers: { "content-type": "application/json", "idempotency-key": key },
          };
        },
      };
    },
  },
};
