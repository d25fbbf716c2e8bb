/**
 * The state at seq A against the state at seq B, as the paths that were added,
 * removed or changed (microdiff: a small, dependency-free structural diff of
 * plain JSON; arrays compare by index, which is what a seq-to-seq state diff
 * of a room wants to show).
 */
import microdiff, { type Difference } from "microdiff";
import { h } from "../dom";

export interface PathChange {
  type: "added" | "removed" | "changed";
  /** `players.1.score`; `(root)` when the whole state is a scalar that changed. */
  path: string;
  before?: unknown;
  after?: unknown;
}

const TYPES = { CREATE: "added", REMOVE: "removed", CHANGE: "changed" } as const;

/** Every path that differs between two JSON states, in microdiff's order. */
export function stateDiff(a: unknown, b: unknown): PathChange[] {
  // Wrapped, so a state that is a scalar or null (or changes shape) still compares.
  return microdiff({ state: a }, { state: b }).map((d: Difference) => {
    const path = d.path.slice(1).join(".") || "(root)";
    const change: PathChange = { type: TYPES[d.type], path };
    if (d.type !== "CREATE") change.before = d.oldValue;
    if (d.type !== "REMOVE") change.after = d.value;
    return change;
  });
}

const short = (v: unknown) => {
  const text = JSON.stringify(v) ?? "undefined";
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
};

const SIGN = { added: "+", removed: "−", changed: "~" } as const;

/** The changes as a list: `+ path: value`, `− path: value`, `~ path: old → new`. */
export function renderDiff(changes: PathChange[]): HTMLElement {
  if (changes.length === 0) return h("p", { class: "muted", "data-testid": "diff-empty" }, "No difference: the state is the same at both seqs.");
  return h(
    "ul",
    { class: "diff" },
    ...changes.map((c) =>
      h(
        "li",
        { class: `diff-${c.type}`, "data-type": c.type, "data-path": c.path },
        h("span", { class: "diff-sign", "aria-label": c.type }, SIGN[c.type]),
        " ",
        h("code", { class: "diff-path" }, c.path),
        ": ",
        c.type === "changed" ? h("span", {}, h("code", { class: "diff-before" }, short(c.before)), " → ", h("code", { class: "diff-after" }, short(c.after))) : h("code", {}, short(c.type === "added" ? c.after : c.before)),
      ),
    ),
  );
}
