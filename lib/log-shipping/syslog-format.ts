import type { ShipRecord } from "./ship-record";

/**
 * RFC 5424 messages with RFC 6587 octet-counting framing.
 *
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG
 *
 * MSGID is the stream (`audit` / `security`); the structured data element
 * `modelgate@32473` carries tenant, sequence / id and the action or denial
 * code so a SIEM can index and check order without parsing MSG; MSG is the
 * shipped event as one line of JSON. (32473 is the example enterprise number
 * of RFC 5612, as ModelGate has no IANA number of its own.)
 */
export const SD_ID = "modelgate@32473";

export type SyslogHeader = { facility: number; hostname: string; appName: string; procId?: string };

/** PARAM-VALUE escaping (RFC 5424 §6.3.3): `"`, `\` and `]` get a backslash. */
export function escapeSdValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

function field(value: string | undefined, max: number): string {
  if (!value) return "-";
  const printable = value.replace(/[^!-~]/g, "_");
  return printable.slice(0, max) || "-";
}

function sdParams(record: ShipRecord): [string, string][] {
  const e = record.event;
  const params: [string, string][] = [
    ["tenant", e.tenant_id],
    ["tenantSlug", e.tenant_slug],
  ];
  if (e.type === "audit") {
    params.push(["seq", e.seq], ["action", e.action], ["outcome", e.outcome], ["actor", `${e.actor.type}:${e.actor.id ?? ""}`]);
  } else {
    params.push(["id", e.id], ["code", e.code], ["status", String(e.status)]);
  }
  if ("request_id" in e && e.request_id) params.push(["requestId", e.request_id]);
  return params;
}

/** One RFC 5424 message (without framing). */
export function formatSyslogMessage(record: ShipRecord, header: SyslogHeader): string {
  const pri = header.facility * 8 + record.severity;
  const sd = `[${SD_ID}${sdParams(record)
    .map(([k, v]) => ` ${k}="${escapeSdValue(v)}"`)
    .join("")}]`;
  return [
    `<${pri}>1`,
    record.time.toISOString(),
    field(header.hostname, 255),
    field(header.appName, 48),
    field(header.procId, 128),
    field(record.stream, 32),
    sd,
    JSON.stringify(record.event),
  ].join(" ");
}

/** RFC 6587 §3.4.1 octet counting: `MSG-LEN SP SYSLOG-MSG`, the length in bytes. */
export function frameOctetCounted(message: string): Buffer {
  const body = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from(`${body.length} `, "ascii"), body]);
}
