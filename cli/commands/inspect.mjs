// `hearth inspect <name> [--at <seq>]`: the room inspector from the terminal
// (src/worker/roomInspectorRoutes.ts, rooms:admin): a room's overview, or its state at any seq.
import { requestJson } from "../http.mjs";
import { serverUrl, tokenSource } from "../settings.mjs";
import { parseTarget } from "../targets.mjs";
import { CliError } from "../cliError.mjs";
import { InvalidArgumentError } from "commander";

export function inspectCommand(program) {
  program
    .command("inspect")
    .description("a room as the inspector shows it (state, connections, figures), or with --at its state at that seq, rebuilt from its journal (needs rooms:admin)")
    .argument("<name>", "the room's object name as `hearth rooms` lists it (demo-1, tabletop:42, campaign.table:dm-1, ...)")
    .option("--at <seq>", "time travel: the state as it was at this seq", seqNumber)
    .option("--json", "compact JSON on one line (default: indented)")
    .addHelpText("after", "\nA seq older than the retained log answers LOG_TRIMMED with the earliest seq still held.")
    .action(async (name, _options, command) => {
      const options = command.optsWithGlobals();
      const path = inspectPath(name, options.at);
      const body = await requestJson(serverUrl(options), path, { token: await tokenSource(options).get() });
      process.stdout.write(`${options.json ? JSON.stringify(body) : JSON.stringify(body, null, 2)}\n`);
    });
}

/** The inspector route for a room name, with `?at=` for time travel. */
export function inspectPath(name, at) {
  if ("path" in parseTarget(name)) throw new CliError("BAD_ROOM_NAME", "inspect takes a room's object name (as `hearth rooms` lists it), not a path.");
  const room = `/api/admin/rooms/${encodeURIComponent(name)}`;
  return at === undefined ? room : `${room}/state?at=${at}`;
}

function seqNumber(value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("A seq is a whole number >= 0.");
  return n;
}
