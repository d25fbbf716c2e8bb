import { describe, expect, it } from "vitest";
import { packProblems } from "./packProblems.mjs";

const exportsField = {
  ".": { types: "./dist/index.d.ts", import: "./dist/index.js" },
  "./react": { types: "./dist/react/index.d.ts", import: "./dist/react.js" },
  "./package.json": "./package.json",
};
const good = ["package.json", "README.md", "dist/index.js", "dist/index.js.map", "dist/index.d.ts", "dist/react.js", "dist/react/index.d.ts", "dist/chunks/chunk-AB12.js"];

describe("packProblems", () => {
  it("passes the client's own build", () => {
    expect(packProblems(good, exportsField)).toEqual([]);
  });

  it.each([
    ["src/room/Room.ts", "server file in the tarball: src/room/Room.ts"],
    ["src/worker/index.ts", "server file in the tarball: src/worker/index.ts"],
    ["migrations/0001_init.sql", "server file in the tarball: migrations/0001_init.sql"],
    ["wrangler.toml", "server file in the tarball: wrangler.toml"],
    ["dist/core/closeCodes.d.ts", "server file in the tarball: dist/core/closeCodes.d.ts"],
    ["src/hearthSocket.ts", "unexpected file in the tarball: src/hearthSocket.ts"],
    ["tsconfig.json", "unexpected file in the tarball: tsconfig.json"],
    ["dist/testing/fakeClock.d.ts", "test code in the tarball: dist/testing/fakeClock.d.ts"],
  ])("fails on %s", (path, problem) => {
    expect(packProblems([...good, path], exportsField)).toContain(problem);
  });

  it("fails when an exports target or the README is not shipped", () => {
    const missing = good.filter((p) => p !== "dist/react.js" && p !== "README.md");
    expect(packProblems(missing, exportsField)).toEqual([
      "exports target missing from the tarball: ./dist/react.js",
      "missing from the tarball: README.md",
    ]);
  });
});
