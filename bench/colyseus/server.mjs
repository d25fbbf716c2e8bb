// `node bench/colyseus/server.mjs --port 2567`: the Colyseus side of bench/games.mjs. One process,
// the WebSocket transport, the in-memory matchmaker (LocalPresence/LocalDriver), one room type
// `bigger_dice` (biggerDiceRoom.mjs) filtered by `room_name` so `join_room {room_name}` maps to
// `client.join("bigger_dice", {room_name})`. Prints "colyseus: listening on <port>" when ready.
import { parseArgs } from "node:util";
import { Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { BiggerDiceRoom } from "./biggerDiceRoom.mjs";

const { values } = parseArgs({ options: { port: { type: "string", default: "2567" }, host: { type: "string", default: "127.0.0.1" } } });

const server = new Server({ transport: new WebSocketTransport(), greet: false, gracefullyShutdown: false });
server.define("bigger_dice", BiggerDiceRoom).filterBy(["room_name"]);
await server.listen(Number(values.port), values.host);
console.log(`colyseus: listening on ${values.port}`);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
