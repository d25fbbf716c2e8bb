// The argument handling commander does for us: help lists every command, bad input is refused
// with a usage error before anything runs, and global options come from flags or the environment.
import { describe, expect, it } from "vitest";
import { hearthProgram } from "./program.mjs";

/** Parses argv with output captured and exits turned into throws. */
function parse(argv, env = {}) {
  const saved = { H: process.env.H, HEARTH_TOKEN: process.env.HEARTH_TOKEN };
  Object.assign(process.env, { H: undefined, HEARTH_TOKEN: undefined });
  for (const [k, v] of Object.entries({ ...saved, ...env })) if (v === undefined) delete process.env[k];
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  const program = hearthProgram();
  let out = "";
  const capture = (cmd) => {
    cmd.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
    cmd.commands.forEach(capture);
  };
  capture(program);
  let seen;
  // Swap every action for a recorder: these tests are about parsing, not running.
  for (const cmd of program.commands) cmd.action((...args) => (seen = { name: cmd.name(), args: args.slice(0, -2), opts: args.at(-1).optsWithGlobals() }));
  try {
    program.parse(argv, { from: "user" });
  } catch (error) {
    return { error, out };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return { seen, out };
}

describe("hearth's argument handling", () => {
  it("--help lists every command", () => {
    const { error, out } = parse(["--help"]);
    expect(error.code).toBe("commander.helpDisplayed");
    for (const name of ["token", "rooms", "tail", "post", "inspect", "get", "ws"]) expect(out).toMatch(new RegExp(`^  ${name} `, "m"));
    expect(out).toContain("env: H");
    expect(out).toMatch(/env:\s+HEARTH_TOKEN/);
  });

  it("reads the server from --url, else H, else localhost:8787; the token from --token, else HEARTH_TOKEN", () => {
    expect(parse(["rooms"]).seen.opts.url).toBe("http://localhost:8787");
    expect(parse(["rooms"], { H: "http://h:1" }).seen.opts.url).toBe("http://h:1");
    expect(parse(["--url", "http://u:2", "rooms"], { H: "http://h:1" }).seen.opts.url).toBe("http://u:2");
    expect(parse(["rooms"], { HEARTH_TOKEN: "abc" }).seen.opts.token).toBe("abc");
    expect(parse(["--token", "xyz", "rooms"], { HEARTH_TOKEN: "abc" }).seen.opts.token).toBe("xyz");
  });

  it("tail takes its options after the target", () => {
    const { seen } = parse(["tail", "tabletop:42", "--json", "--until", "dice_roll", "--count", "3", "--timeout", "1.5"]);
    expect(seen.name).toBe("tail");
    expect(seen.args).toEqual(["tabletop:42"]);
    expect(seen.opts).toMatchObject({ json: true, until: "dice_roll", count: 3, timeout: 1.5 });
  });

  it("post takes the event and --idempotency-key; ws repeats --send in order", () => {
    expect(parse(["post", "demo", '{"type":"publish"}', "--idempotency-key", "k1"]).seen).toMatchObject({ args: ["demo", '{"type":"publish"}'], opts: { idempotencyKey: "k1" } });
    expect(parse(["ws", "/ws/games", "--send", "a", "--send", "b"]).seen.opts).toMatchObject({ send: ["a", "b"], timeout: 10 });
  });

  it("inspect --at takes a seq", () => {
    expect(parse(["inspect", "demo", "--at", "0"]).seen.opts.at).toBe(0);
    expect(parse(["inspect", "demo", "--at", "-1"]).error.message).toMatch(/--at.*whole number/);
  });

  it("refuses bad input with a usage error", () => {
    expect(parse(["tail"]).error.code).toBe("commander.missingArgument");
    expect(parse(["tail", "x", "--count", "zero"]).error.message).toMatch(/positive number/);
    expect(parse(["frobnicate"]).error.code).toBe("commander.unknownCommand");
    expect(parse(["rooms", "--nope"]).error.code).toBe("commander.unknownOption");
  });
});
