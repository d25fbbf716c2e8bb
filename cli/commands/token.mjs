// `hearth token`: a local token from the dev server's POST /dev/token (src/worker/devRoutes.ts).
import { CliError } from "../cliError.mjs";
import { mintToken, serverUrl } from "../settings.mjs";
import { positiveNumber } from "../stopRule.mjs";

export function tokenCommand(program) {
  program
    .command("token")
    .description("mint a local token from the dev server's POST /dev/token (only where HEARTH_DEV_AUTH=1: npm start)")
    .argument("[claims]", 'the claims as JSON, e.g. \'{"sub":"ann","name":"Ann","scope":"rooms:admin"}\'')
    .option("--sub <id>", "the user id (sub)")
    .option("--name <name>", "the display name")
    .option("--role <role>", "the role")
    .option("--scope <scopes>", 'Hearth scopes, space-separated: "rooms:admin events:publish"')
    .option("--ttl <seconds>", "lifetime in seconds (server default 1 h, at most 24 h)", positiveNumber)
    .addHelpText("after", "\nPrints the token alone, for T=$(npx hearth token --sub ann).")
    .action(async (claims, _options, command) => {
      const options = command.optsWithGlobals();
      process.stdout.write(`${await mintToken(serverUrl(options), tokenClaims(claims, options))}\n`);
    });
}

/** The claims to ask for: the JSON argument, with the flags laid over it. */
export function tokenClaims(json, flags) {
  let claims = {};
  if (json !== undefined) {
    try {
      claims = JSON.parse(json);
    } catch {
      throw new CliError("BAD_JSON", `The claims are not JSON: ${json.slice(0, 200)}`);
    }
    if (claims === null || typeof claims !== "object" || Array.isArray(claims)) throw new CliError("BAD_CLAIMS", "The claims must be a JSON object.");
  }
  for (const key of ["sub", "name", "role", "scope", "ttl"]) if (flags[key] !== undefined) claims[key] = flags[key];
  if (typeof claims.sub !== "string" || claims.sub === "") throw new CliError("BAD_CLAIMS", 'A token needs a user id: --sub <id> or {"sub":"..."}.');
  return claims;
}
