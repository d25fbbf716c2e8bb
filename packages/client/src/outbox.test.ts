import { describe, expect, it } from "vitest";
import { HearthClientError } from "./hearthClientError.js";
import { Outbox } from "./outbox.js";

describe("Outbox", () => {
  it("throws QUEUE_FULL at the bound and keeps what it has", () => {
    const outbox = new Outbox(2);
    outbox.push({ text: "a", sentOn: -1 });
    outbox.push({ text: "b", sentOn: -1 });
    let caught: unknown;
    try {
      outbox.push({ text: "c", sentOn: -1 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HearthClientError);
    expect((caught as HearthClientError).code).toBe("QUEUE_FULL");
    expect(outbox.unsent(1).map((entry) => entry.text)).toEqual(["a", "b"]);
  });

  it("drops plain sends once sent, keeps commands until settled, per generation", () => {
    const outbox = new Outbox(10);
    outbox.push({ text: "plain", sentOn: -1 });
    outbox.push({ text: "cmd", id: "c1", sentOn: -1 });
    for (const entry of outbox.unsent(1)) outbox.markSent(entry, 1);
    expect(outbox.size).toBe(1);
    expect(outbox.unsent(1)).toEqual([]);
    expect(outbox.unsent(2).map((entry) => entry.id)).toEqual(["c1"]);
    expect(outbox.settle("c1")?.text).toBe("cmd");
    expect(outbox.size).toBe(0);
    expect(outbox.settle("c1")).toBeUndefined();
  });

  it("keeps insertion order across sent and unsent entries", () => {
    const outbox = new Outbox(10);
    outbox.push({ text: "1", id: "a", sentOn: -1 });
    for (const entry of outbox.unsent(1)) outbox.markSent(entry, 1);
    outbox.push({ text: "2", sentOn: -1 });
    outbox.push({ text: "3", id: "b", sentOn: -1 });
    expect(outbox.unsent(2).map((entry) => entry.text)).toEqual(["1", "2", "3"]);
    expect(outbox.drain().length).toBe(3);
    expect(outbox.size).toBe(0);
  });
});
