import { describe, expect, it } from "vitest";
import { PER_MESSAGE_DEFLATE, WINDOWED_DEFLATE } from "../src/http/wsCompression.ts";
import { newLobby } from "./helpers/games.ts";
import { eventually, objectNamed } from "./helpers/objects.ts";
import { newRoom } from "./helpers/rooms.ts";
import { api, connect } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

// [C8] How each route answers a permessage-deflate offer: the Worker's 101 carries the server's
// configuration, which the runtime then negotiates with the client's offer (what a real client
// ends up with, through wrangler dev, Chromium and `ws`, is e2e/compression.test.mjs).
const EXT = "Sec-WebSocket-Extensions";

// Sockets are left open at the end, as in the other files, except the games one: its close travels
// from the gateway to the lobby, and a file must not end with that in flight (helpers/games.ts).
const upgrade = (path: string) => connect(path, { headers: { [EXT]: "permessage-deflate; client_max_window_bits" } });

describe("[C8] permessage-deflate per route", () => {
  it("relay rooms and the games lobby compress each frame on its own, and the socket works", async () => {
    const roomId = await newRoom();
    const relay = await upgrade(`/ws/rooms/${roomId}?token=${await token({ sub: "ann", name: "ann" })}`);
    expect(relay.response.status).toBe(101);
    expect(relay.response.headers.get(EXT)).toBe(PER_MESSAGE_DEFLATE);
    expect(await relay.socket!.next()).toMatchObject({ type: "snapshot" });

    const shard = await newLobby();
    const games = await upgrade(`/ws/games?lobby=${shard}&token=${await token({ sub: "100200", name: "Bob" })}`);
    expect(games.response.headers.get(EXT)).toBe(PER_MESSAGE_DEFLATE);
    expect(await games.socket!.next()).toMatchObject({ type: "snapshot" });
    games.socket!.close();
    await eventually(async () => {
      const spread = await objectNamed(`games:lobby:${shard}`).spread();
      expect(spread.ok ? spread.sockets : 0).toBe(0);
    }, 20_000);
  });

  it("campaign sockets keep a window per socket: its frames are whole documents", async () => {
    const campaign_id = `camp-${crypto.randomUUID().slice(0, 8)}`;
    const created = await api("POST", "/api/campaigns", await token({ sub: "gaia-api", scope: "events:publish" }), { campaign_id, dm_user_id: "dm-1" });
    expect(created.status).toBe(201);
    const player = await upgrade(`/ws/campaign/player?campaign=${campaign_id}&token=${await token({ sub: "p-1", name: "p-1" })}`);
    expect(player.response.status).toBe(101);
    expect(player.response.headers.get(EXT)).toBe(WINDOWED_DEFLATE);
    expect(await player.socket!.next()).toMatchObject({ type: "snapshot" });
  });

  it("a client may ask for either with ?compression=, and any other value leaves the route's choice", async () => {
    const roomId = await newRoom();
    const asked = async (value: string, sub: string) =>
      (await upgrade(`/ws/rooms/${roomId}?token=${await token({ sub, name: sub })}&compression=${value}`)).response.headers.get(EXT);
    expect(await asked("context", "cy")).toBe(WINDOWED_DEFLATE);
    expect(await asked("message", "di")).toBe(PER_MESSAGE_DEFLATE);
    expect(await asked("gzip", "ed")).toBe(PER_MESSAGE_DEFLATE);

    const campaign_id = `camp-${crypto.randomUUID().slice(0, 8)}`;
    await api("POST", "/api/campaigns", await token({ sub: "gaia-api", scope: "events:publish" }), { campaign_id, dm_user_id: "dm-2" });
    const player = await upgrade(`/ws/campaign/player?campaign=${campaign_id}&token=${await token({ sub: "p-2", name: "p-2" })}&compression=message`);
    expect(player.response.headers.get(EXT)).toBe(PER_MESSAGE_DEFLATE);
    expect(await player.socket!.next()).toMatchObject({ type: "snapshot" });
  });

  it("a refused upgrade is a plain HTTP answer, with no extension header", async () => {
    const roomId = await newRoom();
    const refused = await upgrade(`/ws/rooms/${roomId}?token=not-a-token`);
    expect(refused.socket).toBeNull();
    expect(refused.response.status).toBe(401);
    expect(refused.response.headers.get(EXT)).toBeNull();
  });
});
