"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/console/api-fetch";
import type { ModelGrantView } from "@/lib/models/model-schemas";
import type { SharedModel } from "@/lib/models/shared-models";

const base = "/api/v1/operator/models";
const grantsPath = (modelId: string) => `${base}/${encodeURIComponent(modelId)}/grants`;
const sharedModelsKey = ["operator", "models"] as const;

/** Every read is an audited operator read: no polling, refreshed on focus and after each change. */
export function useSharedModels() {
  return useQuery({ queryKey: sharedModelsKey, queryFn: () => apiFetch<SharedModel[]>(base) });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: sharedModelsKey });
}

/** POST …/grants (MFA step-up: apiFetch asks for the code when needed). */
export function useGrantModel() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ modelId, tenant }: { modelId: string; tenant: string }) =>
      apiFetch<ModelGrantView>(grantsPath(modelId), { method: "POST", body: { tenant } }),
    onSuccess: invalidate,
  });
}

/** DELETE …/grants/{tenant} (MFA step-up). */
export function useRevokeGrant() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ modelId, tenant }: { modelId: string; tenant: string }) =>
      apiFetch<void>(`${grantsPath(modelId)}/${encodeURIComponent(tenant)}`, { method: "DELETE" }),
    onSuccess: invalidate,
  });
}
