import { createElement, StrictMode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { flushMicrotasks } from "../testing/fakeClock.js";
import { fakeWebSocketClass } from "../testing/fakeWebSocket.js";
import { useHearth, type UseHearthOptions } from "./useHearth.js";

// workerd has no DOM, so react-dom/client cannot mount here: these tests render the hook for
// real with react-dom/server (the first render: no effects, so no subscribe and no socket).
// The subscribe/getSnapshot side, which React drives in the browser, is HearthStore's and is
// tested in hearthStore.test.ts.
describe("useHearth (server render)", () => {
  function render(options: Partial<UseHearthOptions<Record<string, unknown>, Record<string, unknown>, unknown>>) {
    const { WebSocket, sockets } = fakeWebSocketClass();
    const seen: unknown[] = [];
    function Room() {
      const result = useHearth({ url: "wss://hearth.test/ws/room/r1", token: "t", WebSocket, lifecycle: false, ...options });
      seen.push(result);
      return createElement("p", null, `${result.state}|${result.frames.length}|${JSON.stringify(result.reduced ?? null)}|${result.socket ? "socket" : "none"}`);
    }
    const html = renderToString(createElement(StrictMode, null, createElement(Room)));
    return { html, sockets, seen };
  }

  it("renders the idle initial view and opens no socket", async () => {
    const { html, sockets, seen } = render({ initial: ["x"] });
    expect(html).toBe("<p>idle|0|[&quot;x&quot;]|none</p>");
    await flushMicrotasks();
    expect(sockets).toHaveLength(0);
    const result = seen[0] as { send: unknown; sendCommand: unknown };
    expect(typeof result.send).toBe("function");
    expect(typeof result.sendCommand).toBe("function");
  });

  it("enabled: false renders idle too", () => {
    expect(render({ enabled: false }).html).toBe("<p>idle|0|null|none</p>");
  });
});
