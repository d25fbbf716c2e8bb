import { describe, expect, it } from "vitest";
import { feedCodec } from "./feedCodec.ts";

describe("feedCodec", () => {
  const codec = feedCodec();

  it("reads a JSON ping as ping and everything else as a message (seed 003 acks it)", () => {
    expect(codec.decode('{"type":"ping"}')).toEqual({ ok: true, command: { type: "ping" } });
    expect(codec.decode('{"type":"ping","id":3}')).toEqual({ ok: true, command: { type: "ping" } });
    for (const text of ['{"type":"subscribe"}', "hello", "[1,2]", "{}", '"ping"', "null"]) expect(codec.decode(text)).toEqual({ ok: true, command: { type: "message" } });
  });

  it("encodes frames in the {type} family with seq and epoch at the top level", () => {
    expect(JSON.parse(codec.encode({ type: "teams.locked" }, { seq: 4, epoch: "e" }))).toEqual({ type: "teams.locked", seq: 4, epoch: "e" });
  });
});
