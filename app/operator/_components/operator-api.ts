"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/console/api-fetch";
import type { OperatorTenant } from "@/lib/quotas/operator-overview";
import type { ClosedPeriod, QuotaView, SetQuotaInput } from "@/lib/quotas/quota-schemas";

const base = "/api/v1/operator/tenants";
const tenantPath = (slug: string) => `${base}/${encodeURIComponent(slug)}`;
export const operatorTenantsKey = ["operator", "tenants"] as const;

export function useOperatorTenants() {
  return useQuery({ queryKey: operatorTenantsKey, queryFn: () => apiFetch<OperatorTenant[]>(base), refetchInterval: 15_000 });
}

export function useOperatorTenant(slug: string) {
  return useQuery({
    queryKey: [...operatorTenantsKey, slug],
    queryFn: () => apiFetch<{ tenant: OperatorTenant; history: ClosedPeriod[] }>(tenantPath(slug)),
    refetchInterval: 15_000,
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: operatorTenantsKey });
}

export function useSetQuota() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ slug, input }: { slug: string; input: SetQuotaInput }) =>
      apiFetch<QuotaView>(`${tenantPath(slug)}/quota`, { method: "PUT", body: input }),
    onSuccess: invalidate,
  });
}

export function useClearQuota() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (slug: string) => apiFetch<void>(`${tenantPath(slug)}/quota`, { method: "DELETE" }),
    onSuccess: invalidate,
  });
}

export function useSetStatus() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ slug, status, reason }: { slug: string; status: "active" | "suspended"; reason?: string }) =>
      apiFetch<{ status: string }>(`${tenantPath(slug)}/status`, { method: "POST", body: { status, reason: reason || undefined } }),
    onSuccess: invalidate,
  });
}
