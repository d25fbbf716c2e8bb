import { mkdirSync, writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import type { UserConsoleLog } from "vitest";
import type { Reporter, Vitest } from "vitest/node";

/**
 * Writes every console line the tests (and the Worker and rooms they drive) print to
 * `.test-logs/<run>.log`, each under the name of the test that printed it. The terminal
 * stays quiet: vitest's `silent: "passed-only"` shows a test's lines only when it fails.
 */
export default class LogFileReporter implements Reporter {
  #ctx: Vitest | undefined;
  #file: string;
  #lastTask: string | undefined;
  #lines = 0;

  constructor(opts: { name?: string } = {}) {
    const dir = ".test-logs";
    mkdirSync(dir, { recursive: true });
    this.#file = join(dir, `${opts.name ?? process.env.HEARTH_LOG_NAME ?? "vitest"}.log`);
    writeFileSync(this.#file, "");
  }

  onInit(ctx: Vitest): void {
    this.#ctx = ctx;
  }

  onUserConsoleLog(log: UserConsoleLog): void {
    const task = log.taskId ? this.#ctx?.state.idMap.get(log.taskId) : undefined;
    const where = task ? `${task.file?.name ?? ""} > ${task.name}` : "(outside a test)";
    let text = "";
    if (where !== this.#lastTask) text += `\n--- ${where}\n`;
    this.#lastTask = where;
    text += log.content.endsWith("\n") ? log.content : `${log.content}\n`;
    appendFileSync(this.#file, text);
    this.#lines++;
  }

  onTestRunEnd(): void {
    if (this.#lines > 0) process.stdout.write(`logs: ${this.#lines} console lines from the tests are in ${this.#file}\n`);
  }
}
