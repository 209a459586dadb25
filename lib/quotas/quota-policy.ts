import type { PeriodKind } from "./period";

export type QuotaLimit = { limit: number; hard: boolean };

/** A tenant's quota as the gateway and the workers apply it. */
export type QuotaPolicy = {
  period: PeriodKind;
  /** IANA zone the period's days and months are counted in. */
  timeZone: string;
  requests: QuotaLimit | null;
  tokens: QuotaLimit | null;
};

type QuotaRow = {
  period: string;
  requestsLimit: bigint | number | null;
  requestsHard: boolean;
  tokensLimit: bigint | number | null;
  tokensHard: boolean;
};

const limitOf = (limit: bigint | number | null, hard: boolean): QuotaLimit | null =>
  limit === null ? null : { limit: Number(limit), hard };

/** A tenant_quotas row (or none) as a policy; null when the tenant has no quota. */
export function quotaPolicyOf(row: QuotaRow | null | undefined, timeZone: string): QuotaPolicy | null {
  if (!row) return null;
  const requests = limitOf(row.requestsLimit, row.requestsHard);
  const tokens = limitOf(row.tokensLimit, row.tokensHard);
  if (!requests && !tokens) return null;
  return { period: row.period === "day" ? "day" : "month", timeZone, requests, tokens };
}
