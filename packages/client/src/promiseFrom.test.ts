import { describe, expect, it } from "vitest";
import { promiseFrom } from "./promiseFrom.js";

describe("promiseFrom", () => {
  it("resolves with a value or a promise's value, and rejects on a synchronous throw", async () => {
    await expect(promiseFrom(() => "t")).resolves.toBe("t");
    await expect(promiseFrom(() => Promise.resolve("p"))).resolves.toBe("p");
    const boom = new Error("boom");
    await expect(
      promiseFrom(() => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });
});
