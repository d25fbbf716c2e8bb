import { describe, expect, it } from "vitest";
import { haversineM } from "./haversine";

describe("haversineM", () => {
  it("is zero for the same point", () => {
    expect(haversineM({ lat: 59.9139, lng: 10.7522 }, { lat: 59.9139, lng: 10.7522 })).toBe(0);
  });

  it("measures one degree of latitude as ~111.2 km", () => {
    expect(haversineM({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111_195, 0);
  });

  it("shrinks a degree of longitude with latitude (cos 60° = 0.5)", () => {
    expect(haversineM({ lat: 60, lng: 0 }, { lat: 60, lng: 1 })).toBeCloseTo(55_597, -1);
  });

  it("measures Oslo to Bergen as ~305 km", () => {
    const d = haversineM({ lat: 59.9139, lng: 10.7522 }, { lat: 60.3913, lng: 5.3221 });
    expect(d).toBeGreaterThan(300_000);
    expect(d).toBeLessThan(310_000);
  });

  it("handles antipodes without NaN", () => {
    expect(haversineM({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * 6_371_008.8, 0);
  });
});
