// What is wrong with a tarball's file list (`npm pack --dry-run --json`'s `files[].path`), as
// readable lines; [] when nothing is. Pure, so packProblems.test.mjs can show it fails on a bad list.
// The package is the client only: its build (dist/: .js, .js.map, .d.ts), package.json, README.md
// and a LICENSE. Anything else, above all server code (src/, migrations/, wrangler.toml), is a defect.

/** Paths a Hearth server checkout has and the client package must never ship. */
const SERVER = [/(^|\/)(room|worker|http|systems|core|protocol)\//, /^migrations\//, /(^|\/)wrangler\.(toml|jsonc?)$/, /(^|\/)\.dev\.vars$/];
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE(\.md|\.txt)?$/, /^dist\/.+\.(js|js\.map|d\.ts)$/];

/**
 * @param {string[]} paths the tarball's files, relative to the package folder
 * @param {Record<string, unknown>} exportsField package.json `exports`: every target must be shipped
 * @returns {string[]}
 */
export function packProblems(paths, exportsField) {
  const problems = [];
  const shipped = new Set(paths);
  for (const path of paths) {
    if (SERVER.some((re) => re.test(path))) problems.push(`server file in the tarball: ${path}`);
    else if (!ALLOWED.some((re) => re.test(path))) problems.push(`unexpected file in the tarball: ${path}`);
    if (/\.test\.|(^|\/)testing\//.test(path)) problems.push(`test code in the tarball: ${path}`);
  }
  for (const target of exportTargets(exportsField)) {
    const path = target.replace(/^\.\//, "");
    if (!shipped.has(path)) problems.push(`exports target missing from the tarball: ${target}`);
  }
  for (const required of ["package.json", "README.md"]) {
    if (!shipped.has(required)) problems.push(`missing from the tarball: ${required}`);
  }
  return problems;
}

/** Every file an `exports` map points at (strings at any depth of conditions). */
function exportTargets(value) {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(exportTargets);
  return [];
}
