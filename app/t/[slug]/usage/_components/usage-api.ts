"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/console/api-fetch";
import type { UsageReport } from "@/lib/usage/usage-schemas";
import { usageSearch, type UsageView } from "./usage-view";

const usagePath = (slug: string) => `/api/v1/tenants/${encodeURIComponent(slug)}/usage`;

export const exportHref = (slug: string, view: UsageView) => `${usagePath(slug)}/export?${usageSearch({ ...view, by: undefined })}`;

export function useUsage(slug: string, view: UsageView) {
  return useQuery({
    queryKey: ["tenants", slug, "usage", view] as const,
    queryFn: () => apiFetch<UsageReport>(`${usagePath(slug)}?${usageSearch(view)}`),
    // Switching range, grouping or filter keeps the last figures on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}
