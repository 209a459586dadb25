import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error";
import { csvField } from "./export-usage";
import { autoGranularity, resolveUsageRange } from "./usage-range";
import { usageQuery } from "./usage-schemas";
import { instantOf } from "./usage-time";

const now = new Date("2026-11-26T10:17:42.500Z");
const iso = (d: Date) => d.toISOString();

describe("usage ranges", () => {
  it("chooses minute up to 6 h, hour up to 14 days, day beyond", () => {
    expect(autoGranularity(6 * 3_600_000)).toBe("minute");
    expect(autoGranularity(6 * 3_600_000 + 1)).toBe("hour");
    expect(autoGranularity(14 * 86_400_000)).toBe("hour");
    expect(autoGranularity(30 * 86_400_000)).toBe("day");
  });

  it("widens presets and from/to to whole buckets (UTC tenant)", () => {
    const day = resolveUsageRange(usageQuery.parse({ range: "24h" }), now);
    expect([iso(day.from), iso(day.to), day.granularity]).toEqual(["2026-11-25T10:00:00.000Z", "2026-11-26T11:00:00.000Z", "hour"]);
    const month = resolveUsageRange(usageQuery.parse({ range: "30d" }), now);
    expect([iso(month.from), iso(month.to), month.granularity]).toEqual(["2026-10-27T00:00:00.000Z", "2026-11-27T00:00:00.000Z", "day"]);
    const custom = resolveUsageRange(usageQuery.parse({ from: "2026-11-26T09:00:30Z", to: "2026-11-26T10:00:00Z" }), now);
    expect([iso(custom.from), iso(custom.to), custom.granularity]).toEqual(["2026-11-26T09:00:00.000Z", "2026-11-26T10:00:00.000Z", "minute"]);
    const defaults = resolveUsageRange(usageQuery.parse({}), now);
    expect(defaults.granularity).toBe("hour");
    expect(iso(defaults.from)).toBe("2026-11-25T10:00:00.000Z");
  });

  it("refuses too long a range and too many buckets, naming the field", () => {
    const fieldOf = (q: Record<string, string>) => {
      try {
        resolveUsageRange(usageQuery.parse(q), now);
        return null;
      } catch (err) {
        return Object.keys((err as AppError).fields ?? {});
      }
    };
    expect(fieldOf({ from: "2025-01-01T00:00:00Z", to: "2026-11-01T00:00:00Z" })).toEqual(["from"]);
    expect(fieldOf({ range: "30d", granularity: "minute" })).toEqual(["granularity"]);
    expect(fieldOf({ range: "7d", granularity: "minute" })).toEqual(["granularity"]);
    expect(fieldOf({ range: "24h", granularity: "minute" })).toBeNull();
  });

  it("makes day buckets the tenant's local days, across DST changes", () => {
    const la = resolveUsageRange(usageQuery.parse({ range: "30d" }), now, "America/Los_Angeles");
    // now is 02:17 on 26 Nov in Los Angeles (UTC−8): 31 local days, the last one today.
    expect([iso(la.from), iso(la.to), la.granularity]).toEqual(["2026-10-27T07:00:00.000Z", "2026-11-27T08:00:00.000Z", "day"]);
    expect(la.buckets).toHaveLength(31);
    // DST ended on 1 Nov: that day is 25 hours long.
    expect(la.buckets.map(iso).slice(5, 8)).toEqual(["2026-11-01T07:00:00.000Z", "2026-11-02T08:00:00.000Z", "2026-11-03T08:00:00.000Z"]);
    const kolkata = resolveUsageRange(usageQuery.parse({ from: "2026-11-01", to: "2026-11-03", granularity: "day" }), now, "Asia/Kolkata");
    expect([iso(kolkata.from), iso(kolkata.to)]).toEqual(["2026-10-31T18:30:00.000Z", "2026-11-02T18:30:00.000Z"]);
    expect(kolkata.buckets.map(iso)).toEqual(["2026-10-31T18:30:00.000Z", "2026-11-01T18:30:00.000Z"]);
    // Hours stay UTC's; dates without an offset are read in the tenant's zone, with one as given.
    const hours = resolveUsageRange(usageQuery.parse({ from: "2026-11-25T17:00", to: "2026-11-26T02:00:00Z" }), now, "America/Los_Angeles");
    expect([iso(hours.from), iso(hours.to), hours.granularity]).toEqual(["2026-11-26T01:00:00.000Z", "2026-11-26T02:00:00.000Z", "minute"]);
    expect(hours.buckets).toHaveLength(60);
  });

  it("reads a from/to without an offset in the tenant's time zone", () => {
    expect(iso(instantOf("2026-11-26", "America/Los_Angeles"))).toBe("2026-11-26T08:00:00.000Z");
    expect(iso(instantOf("2026-07-01T09:30", "America/Los_Angeles"))).toBe("2026-07-01T16:30:00.000Z");
    expect(iso(instantOf("2026-11-26T10:00:00+01:00", "America/Los_Angeles"))).toBe("2026-11-26T09:00:00.000Z");
    expect(iso(instantOf("2026-11-26T10:00:00.250", "UTC"))).toBe("2026-11-26T10:00:00.250Z");
    expect(iso(instantOf("2026-11-26T00:00", "Asia/Kathmandu"))).toBe("2026-11-25T18:15:00.000Z");
  });

  it("parses only ISO 8601 dates", () => {
    expect(usageQuery.safeParse({ from: "2026-11-26" }).success).toBe(true);
    expect(usageQuery.safeParse({ from: "2026-11-26T10:00:00+01:00" }).success).toBe(true);
    expect(usageQuery.safeParse({ from: "Nov 26 2026" }).success).toBe(false);
    expect(usageQuery.safeParse({ to: "1700000000" }).success).toBe(false);
  });
});

describe("CSV fields", () => {
  it("quotes separators and defuses spreadsheet formulas", () => {
    expect(csvField('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(null)).toBe("");
    expect(csvField(-3)).toBe("-3");
  });
});
