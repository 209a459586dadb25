/**
 * The classes of tenant data that expire, and where each lives. Table and
 * column names here are the only identifiers retention interpolates into SQL;
 * they are constants, never input.
 */
export const DATA_CLASSES = ["usage_events", "usage_rollups", "security_events", "audit_logs"] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

export type DataClassInfo = {
  label: string;
  description: string;
  table: string;
  /** The row's time: a row older than now − retention days is expired. */
  timeColumn: string;
  defaultDays: number;
};

export const DATA_CLASS_INFO: Readonly<Record<DataClass, DataClassInfo>> = {
  usage_events: {
    label: "Usage events",
    description: "One record per request the gateway forwarded (tokens, latency, status).",
    table: "usage_events",
    timeColumn: "occurred_at",
    defaultDays: 30,
  },
  usage_rollups: {
    label: "Usage rollups",
    description: "Minute, hour and day totals behind the usage dashboard and quotas.",
    table: "usage_rollups",
    timeColumn: "bucket_start",
    defaultDays: 400,
  },
  security_events: {
    label: "Security log",
    description: "Requests the gateway denied (bad keys, IP rules, rate limits, input filter).",
    table: "security_events",
    timeColumn: "created_at",
    defaultDays: 90,
  },
  audit_logs: {
    label: "Audit trail",
    description: "Who changed what in this tenant. Kept at least the platform minimum.",
    table: "audit_logs",
    timeColumn: "created_at",
    defaultDays: 365,
  },
};

/** The longest any class may be kept: ten years. */
export const MAX_RETENTION_DAYS = 3650;

export function isDataClass(value: string): value is DataClass {
  return (DATA_CLASSES as readonly string[]).includes(value);
}

/** The fewest days a tenant may set for a class (audit: the platform minimum). */
export function minimumDays(dataClass: DataClass, auditMinDays: number): number {
  return dataClass === "audit_logs" ? auditMinDays : 1;
}

/** The default of a class, raised to the platform minimum where one applies. */
export function defaultDays(dataClass: DataClass, auditMinDays: number): number {
  return Math.max(DATA_CLASS_INFO[dataClass].defaultDays, minimumDays(dataClass, auditMinDays));
}

const DAY_MS = 86_400_000;

/** Rows with a time strictly before this are expired. */
export function cutoffFor(days: number, now: Date): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
