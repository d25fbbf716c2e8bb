#!/usr/bin/env node
// `npx hearth --help`: the command line for a Hearth server (cli/program.mjs lists the commands).
// Plain ESM without a build, for Node 20 and newer.
import { CliError } from "../cli/cliError.mjs";
import { hearthProgram } from "../cli/program.mjs";

try {
  await hearthProgram().parseAsync(process.argv);
  process.exit(0);
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  process.stderr.write(`hearth: ${error.message} [${error.code}]\n`);
  process.exit(1);
}
