import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deadStreamOf, parseUsageEntry, USAGE_DEAD_STREAM } from "./usage-dead-letter";
import { toStreamFields } from "./usage-record";

const tenantId = randomUUID();
const keyId = randomUUID();
const valid = { tenantId, keyId, requestId: "r-1", route: "openai.chat", model: "echo", status: 200, latencyMs: 12, at: 1_780_000_000_000 };

describe("usage dead letter", () => {
  it("parses a valid entry as a record", () => {
    expect(parseUsageEntry("1-0", toStreamFields(valid))).toEqual({ record: expect.objectContaining({ requestId: "r-1", status: 200 }) });
  });

  it("says why an entry is malformed with field names and issue codes, never values", () => {
    const secret = `mgk_${"A1b".repeat(12)}zz9988`;
    const fields = toStreamFields({ ...valid, keyId: secret, status: "two hundred", [`x-${secret}`]: "1" });
    const parsed = parseUsageEntry("5-1", fields);
    expect(parsed).toEqual({
      dead: {
        entryId: "5-1",
        reason: "invalid record: keyId (invalid_format), status (invalid_type)",
        tenantId,
        keyId: null,
        fieldNames: ["tenantId", "keyId", "requestId", "route", "model", "status", "latencyMs", "at", "(other)"],
      },
    });
    expect(JSON.stringify(parsed)).not.toContain(secret);
    expect(parseUsageEntry("6-0", [])).toMatchObject({ dead: { tenantId: null, fieldNames: [], reason: expect.stringMatching(/^invalid record: tenantId \(invalid_type\)/) } });
  });

  it("names the dead stream of the gateway's stream and of a test's own", () => {
    expect(deadStreamOf("mg:usage")).toBe(USAGE_DEAD_STREAM);
    expect(USAGE_DEAD_STREAM).toBe("mg:usage:dead");
    expect(deadStreamOf("mg:test:usage:x")).toBe("mg:test:usage:x:dead");
  });
});
