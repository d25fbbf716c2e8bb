import { expect, it } from "vitest";
import { closePolicy } from "./closePolicy.js";

it.each([
  [1000, "final"],
  [4003, "final"],
  [4004, "final"],
  [4001, "auth"],
  [4008, "retry-slow"],
  [4009, "retry-slow"],
  [1006, "retry"],
  [1001, "retry"],
  [1011, "retry"],
  [1012, "retry"],
  [4999, "retry"],
] as const)("close %i -> %s", (code, action) => {
  expect(closePolicy(code)).toBe(action);
});
