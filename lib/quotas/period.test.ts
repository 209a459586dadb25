import { describe, expect, it } from "vitest";
import { isValidTimeZone, periodAt, previousPeriod, secondsUntilEnd } from "./period";

const iso = (p: { startsAt: Date; endsAt: Date }) => [p.startsAt.toISOString(), p.endsAt.toISOString()];

describe("quota periods in the tenant's time zone", () => {
  it("a UTC day and month", () => {
    const at = new Date("2026-11-26T12:34:56Z");
    expect(periodAt("day", "UTC", at)).toMatchObject({ key: "2026-11-26" });
    expect(iso(periodAt("day", "UTC", at))).toEqual(["2026-11-26T00:00:00.000Z", "2026-11-27T00:00:00.000Z"]);
    expect(periodAt("month", "UTC", at).key).toBe("2026-11");
    expect(iso(periodAt("month", "UTC", at))).toEqual(["2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"]);
  });

  it("the local date decides: 23:30 UTC is already tomorrow in Berlin and still today in New York", () => {
    const at = new Date("2026-11-26T23:30:00Z");
    expect(periodAt("day", "Europe/Berlin", at).key).toBe("2026-11-27");
    expect(iso(periodAt("day", "Europe/Berlin", at))).toEqual(["2026-11-26T23:00:00.000Z", "2026-11-27T23:00:00.000Z"]);
    expect(periodAt("day", "America/New_York", at).key).toBe("2026-11-26");
    expect(periodAt("month", "Asia/Tokyo", new Date("2026-11-30T15:00:00Z")).key).toBe("2026-12");
  });

  it("days across a DST change are 23 or 25 hours long", () => {
    const spring = periodAt("day", "Europe/Berlin", new Date("2026-03-29T12:00:00Z"));
    expect(iso(spring)).toEqual(["2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z"]);
    const autumn = periodAt("day", "Europe/Berlin", new Date("2026-10-25T12:00:00Z"));
    expect((autumn.endsAt.getTime() - autumn.startsAt.getTime()) / 3_600_000).toBe(25);
    const march = periodAt("month", "Europe/Berlin", new Date("2026-03-15T00:00:00Z"));
    expect(iso(march)).toEqual(["2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z"]);
  });

  it("year ends, the previous period, and Retry-After to the period's end", () => {
    const at = new Date("2026-12-31T23:59:59.500Z");
    expect(iso(periodAt("month", "UTC", at))).toEqual(["2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"]);
    expect(previousPeriod("month", "UTC", new Date("2027-01-01T00:00:00Z")).key).toBe("2026-12");
    expect(previousPeriod("day", "UTC", new Date("2027-01-01T00:00:00Z")).key).toBe("2026-12-31");
    expect(secondsUntilEnd(periodAt("day", "UTC", at), at)).toBe(1);
    expect(secondsUntilEnd(periodAt("day", "UTC", new Date("2026-11-26T12:00:00Z")), new Date("2026-11-26T12:00:00Z"))).toBe(43_200);
  });

  it("knows IANA zones", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});
