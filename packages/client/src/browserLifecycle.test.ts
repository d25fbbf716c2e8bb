import { describe, expect, it } from "vitest";
import { browserLifecycle, type LifecycleHost, type WakeReason } from "./browserLifecycle.js";

class FakeTarget {
  visibilityState = "hidden";
  readonly listeners = new Map<string, Set<(event: unknown) => void>>();
  addEventListener(type: string, listener: (event: unknown) => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)?.add(listener);
  }
  removeEventListener(type: string, listener: (event: unknown) => void) {
    this.listeners.get(type)?.delete(listener);
  }
  fire(type: string, event: unknown = {}) {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  get count() {
    return [...this.listeners.values()].reduce((sum, set) => sum + set.size, 0);
  }
}

describe("browserLifecycle", () => {
  it("wakes on online, on becoming visible and on bfcache restore only", () => {
    const window = new FakeTarget();
    const document = new FakeTarget();
    const reasons: WakeReason[] = [];
    browserLifecycle((reason) => reasons.push(reason), { window, document } as LifecycleHost);
    window.fire("online");
    document.fire("visibilitychange"); // still hidden
    document.visibilityState = "visible";
    document.fire("visibilitychange");
    window.fire("pageshow", { persisted: false });
    window.fire("pageshow", { persisted: true });
    expect(reasons).toEqual(["online", "visible", "pageshow"]);
  });

  it("unsubscribes everything it added", () => {
    const window = new FakeTarget();
    const document = new FakeTarget();
    const stop = browserLifecycle(() => {}, { window, document } as LifecycleHost);
    expect(window.count + document.count).toBe(3);
    stop();
    expect(window.count + document.count).toBe(0);
  });

  it("is a no-op without window/document (workerd, Node)", () => {
    const stop = browserLifecycle(() => {
      throw new Error("must not be called");
    }, {});
    stop();
    // And with the real global here (workerd has neither window nor document).
    browserLifecycle(() => {})();
  });
});
