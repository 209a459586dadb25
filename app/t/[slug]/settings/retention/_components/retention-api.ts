"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/console/api-fetch";
import type { RetentionOverview, UpdateRetentionInput } from "@/lib/retention/retention-schemas";

const path = (slug: string) => `/api/v1/tenants/${encodeURIComponent(slug)}/retention`;
const key = (slug: string) => ["tenants", slug, "retention"] as const;

/** The overview; polls every 3 s while a queued run has not shown up yet. */
export function useRetention(slug: string, waitingForRun: boolean) {
  return useQuery({
    queryKey: key(slug),
    queryFn: () => apiFetch<RetentionOverview>(path(slug)),
    refetchInterval: waitingForRun ? 3_000 : false,
  });
}

export function useUpdateRetention(slug: string) {
  const client = useQueryClient();
  return useMutation({
    // A sensitive action: apiFetch opens the step-up dialog when the API asks for it, then repeats the request.
    mutationFn: (input: UpdateRetentionInput) => apiFetch<RetentionOverview>(path(slug), { method: "PATCH", body: input }),
    onSuccess: (overview) => client.setQueryData(key(slug), overview),
  });
}

export function useRunRetention(slug: string) {
  return useMutation({
    mutationFn: () => apiFetch<{ jobId: string; queuedAt: string }>(`${path(slug)}/runs`, { method: "POST" }),
  });
}
