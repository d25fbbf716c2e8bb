// `--then <command>`: a shell command run once the socket is in the room (its first frame
// arrived), so what it posts is never posted before the listener is there.
import { spawn } from "node:child_process";
import { CliError } from "./cliError.mjs";

/** Runs `command` with sh, its output on ours; resolves when it exits 0, rejects otherwise. */
export function runThen(command) {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", command], { stdio: ["ignore", "inherit", "inherit"], env: process.env });
    child.on("error", (error) => reject(new CliError("THEN_FAILED", `--then could not start: ${error.message}`)));
    child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new CliError("THEN_FAILED", `--then exited with ${code ?? signal}`))));
  });
}
