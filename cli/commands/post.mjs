// `hearth post <target> [event]`: one event to a room over HTTP, retry-safe with --idempotency-key.
import { CliError } from "../cliError.mjs";
import { httpFailure, request } from "../http.mjs";
import { serverUrl, tokenSource } from "../settings.mjs";
import { eventsPath } from "../targets.mjs";

export function postCommand(program) {
  program
    .command("post")
    .description("post an event to a room over HTTP and print the answer")
    .argument("<target>", "a relay room id, quest:<code>, feed:<name>, campaign:<id> (an update), or an /api/ path")
    .argument("[event]", "the event as JSON (default: read from stdin)")
    .option("--idempotency-key <key>", "the Idempotency-Key header: a retry with the same key and body is answered again, applied once")
    .addHelpText("after", `\nExamples:\n  hearth post demo-1 '{"type":"publish","data":{"hello":"world"}}' --idempotency-key evt-1\n  hearth post /api/rooms '{"roomId":"demo-1"}'          (any POST route, here: create a room)`)
    .action(async (target, event, _options, command) => {
      const options = command.optsWithGlobals();
      const base = serverUrl(options);
      const path = eventsPath(target);
      const body = checkedJson(event ?? (await readStdin()));
      const key = options.idempotencyKey;
      if (key !== undefined && (key.length < 1 || key.length > 200)) throw new CliError("BAD_IDEMPOTENCY_KEY", "An Idempotency-Key is 1-200 characters.");
      const token = await tokenSource(options).get();
      const answer = await request(base, path, { method: "POST", token, body, headers: key === undefined ? {} : { "idempotency-key": key } });
      if (!answer.ok) throw httpFailure(answer);
      if (answer.headers.get("idempotent-replayed") === "true") process.stderr.write(`hearth post: a replay: the key ${key} was used before; this is the first answer again\n`);
      process.stdout.write(`${typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body)}\n`);
    });
}

/** The event text, checked to be JSON here so a typo is named before anything is sent. */
export function checkedJson(text) {
  if (text.trim() === "") throw new CliError("NO_EVENT", "No event: pass it as JSON after the target, or on stdin.");
  try {
    JSON.parse(text);
  } catch (error) {
    throw new CliError("BAD_JSON", `The event is not JSON (${error.message}): ${text.slice(0, 200)}`);
  }
  return text;
}

async function readStdin() {
  if (process.stdin.isTTY) throw new CliError("NO_EVENT", "No event: pass it as JSON after the target, or pipe it in.");
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
