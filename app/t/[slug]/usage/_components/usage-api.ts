"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/console/api-fetch";
import type { UsageGrouping, UsagePreset, UsageReport } from "@/lib/usage/usage-schemas";

/** What the page asks for: a preset ending now, or a custom from/to (ISO). */
export type UsageSelection = { preset: UsagePreset } | { from: string; to: string };

const usagePath = (slug: string) => `/api/v1/tenants/${encodeURIComponent(slug)}/usage`;

export function usageSearch(selection: UsageSelection, by?: UsageGrouping): string {
  const params = new URLSearchParams("preset" in selection ? { range: selection.preset } : { from: selection.from, to: selection.to });
  if (by) params.set("by", by);
  return params.toString();
}

export const exportHref = (slug: string, selection: UsageSelection) => `${usagePath(slug)}/export?${usageSearch(selection)}`;

export function useUsage(slug: string, selection: UsageSelection, by: UsageGrouping) {
  return useQuery({
    queryKey: ["tenants", slug, "usage", selection, by] as const,
    queryFn: () => apiFetch<UsageReport>(`${usagePath(slug)}?${usageSearch(selection, by)}`),
    // Switching range or grouping keeps the last figures on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}
