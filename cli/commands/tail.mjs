// `hearth tail <target>`: follows a room live, across reconnects and server restarts.
import { CliError } from "../cliError.mjs";
import { followRoom } from "../followRoom.mjs";
import { frameLine } from "../formatFrame.mjs";
import { runThen } from "../runThen.mjs";
import { serverUrl, tokenSource } from "../settings.mjs";
import { positiveNumber, stopRule } from "../stopRule.mjs";
import { socketPath } from "../targets.mjs";

export function tailCommand(program) {
  program
    .command("tail")
    .description("follow a room live over its WebSocket; reconnects and resumes (since/epoch) across server restarts, printing each frame once, in order")
    .argument("<target>", "a relay room id, or <kind>:<id> as `hearth rooms` lists it (tabletop:42, campaign:c1, quest:7TCJEM, feed:default, games), or a /ws/ path")
    .option("--json", "print each frame as one JSON line, exactly as the server sent it")
    .option("--until <name>", "exit 0 once a frame of this type/event arrived")
    .option("--count <n>", "exit 0 once this many frames were printed", positiveNumber)
    .option("--timeout <seconds>", "exit 1 if --until/--count is not reached in time (default: follow forever)", positiveNumber)
    .option("--then <command>", "a shell command run once the first frame arrived (the listener is in the room)")
    .addHelpText("after", "\nFrames go to stdout, connection news to stderr. Readable lines are `#<seq> <type> <the rest>` (`-` for frames without a seq).")
    .action(async (target, _options, command) => tail(target, command.optsWithGlobals()));
}

async function tail(target, options) {
  const base = serverUrl(options);
  const path = socketPath(target);
  const rule = stopRule(options);
  const status = (line) => process.stderr.write(`hearth tail: ${line}\n`);
  let thenRun = null;
  let failure = null;
  const follower = followRoom({
    base,
    path,
    tokens: tokenSource(options),
    onStatus: status,
    onFrame(frame) {
      process.stdout.write(`${frameLine(frame, options.json)}\n`);
      if (options.then && !thenRun) {
        thenRun = runThen(options.then).catch((error) => {
          failure ??= error;
          follower.stop();
        });
      }
      if (rule.reached(frame)) follower.stop();
    },
  });
  const timer =
    options.timeout === undefined
      ? null
      : setTimeout(() => {
          failure ??= new CliError("TIMEOUT", `no ${rule.describe()} within ${options.timeout} s`);
          follower.stop();
        }, options.timeout * 1000);
  const stopOnSignal = () => follower.stop();
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  try {
    await follower.done;
    // A frame that ended the wait may beat the --then command's own exit: let it finish.
    await thenRun;
  } finally {
    clearTimeout(timer);
    process.off("SIGINT", stopOnSignal);
    process.off("SIGTERM", stopOnSignal);
  }
  if (failure) throw failure;
}
