// The `hearth` command line: global options and one module per command (cli/commands/).
import { Command } from "commander";
import { getCommand } from "./commands/get.mjs";
import { inspectCommand } from "./commands/inspect.mjs";
import { postCommand } from "./commands/post.mjs";
import { roomsCommand } from "./commands/rooms.mjs";
import { tailCommand } from "./commands/tail.mjs";
import { tokenCommand } from "./commands/token.mjs";
import { wsCommand } from "./commands/ws.mjs";
import { globalOptions } from "./settings.mjs";

export function hearthProgram() {
  const program = new Command("hearth")
    .description("Hearth from the terminal: tokens, rooms, live tails, events, time travel")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Without --token/HEARTH_TOKEN, commands that need one mint a local operator token
({"sub":"hearth-cli","scope":"rooms:admin events:publish"}) from the server's POST /dev/token.

Examples:
  npx hearth rooms
  npx hearth tail demo-1                       follow relay room demo-1 (Ctrl-C to stop)
  npx hearth tail tabletop:42 --json           a tabletop session, as JSON lines
  npx hearth post demo-1 '{"type":"publish","data":{"hi":1}}' --idempotency-key k1
  npx hearth inspect demo-1 --at 3             the room's state as it was at seq 3`,
    );
  for (const option of globalOptions()) program.addOption(option);
  for (const add of [tokenCommand, roomsCommand, tailCommand, postCommand, inspectCommand, getCommand, wsCommand]) add(program);
  return program;
}
