import { describe, expect, it } from "vitest";
import { auditRecord, securityRecord } from "./ship-record";
import { escapeSdValue, formatSyslogMessage, frameOctetCounted } from "./syslog-format";

const TENANT = "0b6f6b7e-3a51-4c43-9d3e-0a4c1f6e2b10";

function audit(extra: Record<string, unknown> = {}) {
  return auditRecord(
    {
      id: "7d1c3f0e-5b2a-4f7e-8a9b-1c2d3e4f5a6b",
      tenant_id: TENANT,
      seq: 42,
      created_at: "2026-11-26T06:30:01.123+00:00",
      action: "key.create",
      actor_type: "user",
      actor_id: "u-1",
      target_type: "api_key",
      target_id: "k-1",
      outcome: "success",
      ip: "203.0.113.9",
      user_agent: "curl/8",
      request_id: "req-1",
      metadata: { name: "ci" },
      prev_hash: "a".repeat(64),
      entry_hash: "b".repeat(64),
      ...extra,
    },
    "acme",
  );
}

describe("RFC 5424 formatting", () => {
  const header = { facility: 13, hostname: "gw-1", appName: "modelgate", procId: "4711" };

  it("writes PRI, version, UTC timestamp, hostname, app-name, procid, msgid, structured data and JSON MSG", () => {
    const msg = formatSyslogMessage(audit(), header);
    expect(msg).toBe(
      `<110>1 2026-11-26T06:30:01.123Z gw-1 modelgate 4711 audit ` +
        `[modelgate@32473 tenant="${TENANT}" tenantSlug="acme" seq="42" action="key.create" outcome="success" actor="user:u-1" requestId="req-1"] ` +
        JSON.stringify(audit().event),
    );
    // facility 13 * 8 + severity 6 (success) = 110; a denied entry is a warning (4)
    expect(formatSyslogMessage(audit({ outcome: "denied" }), header)).toMatch(/^<108>1 /);
  });

  it("security events use msgid security, severity warning and carry code and id", () => {
    const r = securityRecord(
      { id: "11111111-2222-4333-8444-555555555555", tenant_id: TENANT, created_at: "2026-11-26T06:30:02.000Z", request_id: "r-9", key_id: null, code: "ip_not_allowed", status: 403, method: "POST", path: "/v1/chat/completions", client_ip: "198.51.100.7", model: null },
      "acme",
    );
    const msg = formatSyslogMessage(r, header);
    expect(msg).toMatch(/^<108>1 2026-11-26T06:30:02\.000Z gw-1 modelgate 4711 security \[modelgate@32473 tenant="[^"]+" tenantSlug="acme" id="11111111-2222-4333-8444-555555555555" code="ip_not_allowed" status="403" requestId="r-9"\] \{/);
  });

  it("escapes \", \\ and ] in SD values and keeps header fields printable", () => {
    expect(escapeSdValue('a"b\\c]d')).toBe('a\\"b\\\\c\\]d');
    const msg = formatSyslogMessage(audit({ action: 'x"]y' }), { ...header, hostname: "bad host" });
    expect(msg).toContain('action="x\\"\\]y"');
    expect(msg.split(" ")[2]).toBe("bad_host");
  });

  it("frames with the byte length (octet counting), multi-byte characters included", () => {
    const framed = frameOctetCounted("héllo");
    expect(framed.toString("utf8")).toBe("6 héllo");
  });

  it("keeps the message on one line whatever the details hold", () => {
    const msg = formatSyslogMessage(audit({ metadata: { note: "line1\nline2" } }), header);
    expect(msg).not.toContain("\n");
  });
});

describe("what is shipped never holds a secret", () => {
  it("redacts secret-named fields at any depth and full API keys inside strings", () => {
    const key = `mgk_${"A".repeat(32)}abc123`;
    const r = audit({
      metadata: {
        before: { scopes: ["inference"], token: "t0p", nested: { clientSecret: "s", password: "p" } },
        after: { note: `rotated ${key}` },
        keyId: "k-1",
        key: "raw",
        totp: "123456",
      },
    });
    const details = (r.event as { details: Record<string, unknown> }).details;
    const text = JSON.stringify(details);
    expect(text).not.toMatch(/t0p|"s"|"p"|raw|123456/);
    expect(text).not.toContain(key);
    expect(details).toMatchObject({ keyId: "k-1", before: { scopes: ["inference"], token: "[redacted]" } });
  });
});
