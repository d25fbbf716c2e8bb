// Hearth's import rules (issue 21 item 5), checked by `npm run lint:imports` as the first step of
// `npm test`. The layers point one way:
//
//   worker -> systems -> http -> room -> core      protocol: codecs, imports core only
//   packages/client (the SDK, @hearth/client): a package of its own; imports nothing of the server
//   (its tests may compare types with it) and no npm package but React (in react/ only)
//
// and inside a system (src/systems/<name>/), files are one of:
//   index.ts            the system definition (defineSystem): may import everything of its system
//   edge/               code at the edge: HTTP routes, placement, D1, anything doing I/O or
//                       importing hono, src/http or src/room
//   *.test.ts, testHarness.ts, fixtures.ts, measureStorage.ts (a dev script): tests and their support
//   everything else     pure: the kind and its parts. Imports only src/core, src/protocol, zod and
//                       other pure files of the same system, so a kind replays the same anywhere.
//
// Type-only imports count (tsPreCompilationDeps): a type still couples the layers.

/** Files that belong to a project, as opposed to npm packages and runtime modules. */
const PROJECT = "^(src|test|examples|scripts|demo|bench|e2e|packages)/";
/** Tests and what only tests import. */
const TEST_SUPPORT = [
  "\\.test\\.ts$",
  "^src/room/store/roomStoreContract\\.ts$",
  "^src/.+/testing/",
  "^packages/client/src/testing/",
  "^src/core/testCtx\\.ts$",
  "^src/systems/[^/]+/(testHarness|fixtures)\\.ts$",
];
/** A system's files that are not pure: its definition, its edge, its tests, its dev script. */
const NOT_PURE = [
  "^src/systems/[^/]+/index\\.ts$",
  "^src/systems/[^/]+/edge/",
  "^src/systems/quest/measureStorage\\.ts$",
  ...TEST_SUPPORT,
];

/** What a pure file may import; `$1` is its own system (the group captured by the rule's `from`). */
const PURE_MAY_IMPORT = ["^src/core/", "^src/protocol/", "^node_modules/zod/", "^src/systems/$1/"];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "An import circle: the modules in it can only be understood, tested and changed together. " +
        "Break it by moving the shared part down or handing a narrow port in.",
      from: {},
      to: {
        circular: true,
      },
    },

    // --- Layers: no import points up. ---
    {
      name: "core-imports-only-core",
      severity: "error",
      comment: "src/core is the contract everyone shares: it imports nothing of the project but itself (npm packages are fine).",
      from: { path: "^src/core/" },
      to: { path: PROJECT, pathNot: "^src/core/" },
    },
    {
      name: "protocol-imports-only-core",
      severity: "error",
      comment: "src/protocol is the shared codec code: it imports src/core and itself, nothing else of the project.",
      from: { path: "^src/protocol/", pathNot: TEST_SUPPORT },
      to: { path: PROJECT, pathNot: "^src/(core|protocol)/" },
    },
    {
      name: "room-not-upward",
      severity: "error",
      comment: "src/room is below http, systems and worker: it gets the systems injected (the registry) and never imports them.",
      from: { path: "^src/room/" },
      to: { path: "^src/(http|systems|worker)/" },
    },
    {
      name: "http-not-upward",
      severity: "error",
      comment: "src/http is the edge kit the systems' routes use: it must not know the systems or the worker.",
      from: { path: "^src/http/" },
      to: { path: "^src/(systems|worker)/" },
    },
    {
      name: "systems-not-upward",
      severity: "error",
      comment: "A system plugs into the worker through its defineSystem value; it never imports the worker or the SDK.",
      from: { path: "^src/systems/" },
      to: { path: "^src/worker/" },
    },
    {
      name: "server-not-sdk",
      severity: "error",
      comment: "The server never imports the SDK (packages/client, @hearth/client).",
      from: { path: "^src/" },
      to: { path: ["^packages/client/", "^node_modules/@hearth/client/"] },
    },

    // --- The SDK is a package of its own (packages/client, published as @hearth/client). ---
    {
      name: "sdk-not-server",
      severity: "error",
      comment:
        "The SDK ships alone (its tarball holds no server code): it imports nothing of the repo outside packages/client, " +
        "not even src/core. What it shares with the server (close codes) is written out and kept equal by a test.",
      from: { path: "^packages/client/src/", pathNot: "\\.test\\.ts$" },
      to: { path: PROJECT, pathNot: "^packages/client/src/" },
    },
    {
      name: "sdk-no-dependencies",
      severity: "error",
      comment: "The SDK has no dependencies; only its React entry (react/) imports the optional peer react.",
      from: { path: "^packages/client/src/", pathNot: TEST_SUPPORT },
      to: { path: "^node_modules/", pathNot: "^node_modules/(@types/)?react/" },
    },
    {
      name: "sdk-core-not-react",
      severity: "error",
      comment: "@hearth/client stays free of React: only packages/client/src/react/ imports it.",
      from: { path: "^packages/client/src/", pathNot: ["^packages/client/src/react/", ...TEST_SUPPORT] },
      to: { path: "^node_modules/(@types/)?react(-dom)?/" },
    },
    {
      name: "sdk-tests-server-types-only",
      severity: "error",
      comment: "SDK tests may compare the SDK's frame types with the server's (import type), never run server code (src/core's constants excepted).",
      from: { path: "^packages/client/src/.+\\.test\\.ts$" },
      to: { path: "^src/(room|http|systems|worker)/", dependencyTypesNot: ["type-only"] },
    },

    // --- Systems are plug-ins. ---
    {
      name: "system-not-other-system",
      severity: "error",
      comment: "A system imports nothing of another system: what two systems share belongs in src/core or src/protocol.",
      from: { path: "^src/systems/([^/]+)/" },
      to: { path: "^src/systems/", pathNot: "^src/systems/$1/" },
    },
    {
      name: "registry-imports-definitions",
      severity: "error",
      comment: "The registry lists systems by their definition (index.ts), nothing deeper.",
      from: { path: "^src/systems/registry\\.ts$" },
      to: { path: "^src/systems/[^/]+/", pathNot: "^src/systems/[^/]+/index\\.ts$" },
    },
    {
      name: "pure-kind-files",
      severity: "error",
      comment:
        "A pure file of a system (its kind, rules, schema, view, codec) imports only src/core, src/protocol, zod and the pure " +
        "files of its own system. Code that does I/O or needs hono, src/http or src/room goes in src/systems/<name>/edge/.",
      from: { path: "^src/systems/([^/]+)/", pathNot: NOT_PURE },
      to: { pathNot: PURE_MAY_IMPORT },
    },
    {
      name: "pure-not-edge",
      severity: "error",
      comment: "Pure files don't import their system's edge or its definition (index.ts imports the edge, not the other way round).",
      from: { path: "^src/systems/([^/]+)/", pathNot: NOT_PURE },
      to: { path: ["^src/systems/$1/edge/", "^src/systems/$1/index\\.ts$"] },
    },
    {
      name: "edge-not-definition",
      severity: "error",
      comment: "Edge code is imported by the system's index.ts; importing index.ts back would make a circle.",
      from: { path: "^src/systems/([^/]+)/edge/" },
      to: { path: "^src/systems/$1/index\\.ts$" },
    },

    // --- Test code stays in tests. ---
    {
      name: "no-test-code-in-production",
      severity: "error",
      comment: "Only tests (and their support files) import test helpers, fixtures and vitest.",
      from: { path: "^(src|packages/client/src)/", pathNot: [...TEST_SUPPORT, "^src/systems/quest/measureStorage\\.ts$"] },
      to: { path: ["^test/", ...TEST_SUPPORT, "^node_modules/(vitest|@vitest|@cloudflare/vitest-plugin)/", "^cloudflare:test$"] },
    },
  ],
  options: {
    doNotFollow: { path: "^node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
