// `hearth get <field>`: one field of the JSON on stdin, so shell scripts need no jq.
import { CliError } from "../cliError.mjs";

export function getCommand(program) {
  program
    .command("get")
    .description("print one field (a.b.c) of the JSON read on stdin (for scripts; no jq needed)")
    .argument("<field>", "a dotted path, e.g. teamCode or session.sessionId")
    .action(async (field) => {
      const chunks = [];
      for await (const chunk of process.stdin) chunks.push(chunk);
      process.stdout.write(`${pickField(Buffer.concat(chunks).toString("utf8"), field)}\n`);
    });
}

/** The field at a dotted path of a JSON text: strings as they are, anything else as JSON. */
export function pickField(text, field) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError("BAD_JSON", `stdin is not JSON: ${text.slice(0, 200)}`);
  }
  for (const part of field.split(".").filter(Boolean)) value = value?.[part];
  if (value === undefined) throw new CliError("NO_FIELD", `no field ${field} in ${text.slice(0, 200)}`);
  return typeof value === "string" ? value : JSON.stringify(value);
}
