// `hearth rooms`: every room of every system, newest first (GET /api/rooms, rooms:admin).
import { requestJson } from "../http.mjs";
import { serverUrl, tokenSource } from "../settings.mjs";
import { positiveNumber } from "../stopRule.mjs";

export function roomsCommand(program) {
  program
    .command("rooms")
    .description("list rooms of every system, newest first (GET /api/rooms; needs a rooms:admin token)")
    .option("--kind <kind>", "only rooms of this kind (relay, quest, tabletop, campaign, campaign.table, feed, feed-shard, games.lobby, games.game)")
    .option("--limit <n>", "rooms per page (at most 100)", positiveNumber, 100)
    .option("--all", "follow `next` through every page")
    .option("--json", "one JSON object per room")
    .action(async (_options, command) => {
      const options = command.optsWithGlobals();
      const base = serverUrl(options);
      const token = await tokenSource(options).get();
      let before;
      do {
        const query = new URLSearchParams({ limit: String(options.limit) });
        if (options.kind) query.set("kind", options.kind);
        if (before !== undefined) query.set("before", String(before));
        const page = await requestJson(base, `/api/rooms?${query}`, { token });
        for (const room of page.rooms) process.stdout.write(`${options.json ? JSON.stringify(room) : roomLine(room)}\n`);
        before = page.next ?? undefined;
      } while (options.all && before !== undefined);
    });
}

/** One readable line: the name `tail`/`inspect` take, its kind, when it was made, its route. */
export function roomLine(room) {
  const created = new Date(room.createdAt).toISOString().replace(/\.\d+Z$/, "Z");
  return [room.name.padEnd(32), room.kind.padEnd(14), created, room.href ?? "-"].join("  ");
}
