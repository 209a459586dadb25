"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/console/api-fetch";
import type { ApiKeyView, CreateKeyInput, UpdateKeyInput } from "@/lib/keys/key-schemas";

export type CreatedKey = ApiKeyView & { key: string };
export type RotatedKey = CreatedKey & { previousValidUntil: string };

const keysPath = (slug: string) => `/api/v1/tenants/${encodeURIComponent(slug)}/keys`;
export const keysQueryKey = (slug: string) => ["tenants", slug, "keys"] as const;

export function useKeys(slug: string) {
  return useQuery({ queryKey: keysQueryKey(slug), queryFn: () => apiFetch<ApiKeyView[]>(keysPath(slug)) });
}

function useInvalidateKeys(slug: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: keysQueryKey(slug) });
}

export function useCreateKey(slug: string) {
  const invalidate = useInvalidateKeys(slug);
  return useMutation({
    mutationFn: (input: CreateKeyInput) => apiFetch<CreatedKey>(keysPath(slug), { method: "POST", body: input }),
    onSuccess: invalidate,
  });
}

/** Changes a key; the table shows the stored key at once, then reads the list again. */
export function useUpdateKey(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateKeyInput }) =>
      apiFetch<ApiKeyView>(`${keysPath(slug)}/${id}`, { method: "PATCH", body: input }),
    onSuccess: (key) => {
      client.setQueryData<ApiKeyView[]>(keysQueryKey(slug), (list) => list?.map((k) => (k.id === key.id ? key : k)));
      return client.invalidateQueries({ queryKey: keysQueryKey(slug) });
    },
  });
}

export function useRotateKey(slug: string) {
  const invalidate = useInvalidateKeys(slug);
  return useMutation({
    mutationFn: ({ id, graceSeconds }: { id: string; graceSeconds: number }) =>
      apiFetch<RotatedKey>(`${keysPath(slug)}/${id}/rotate`, { method: "POST", body: { graceSeconds } }),
    onSuccess: invalidate,
  });
}

export function useRevokeKey(slug: string) {
  const invalidate = useInvalidateKeys(slug);
  return useMutation({
    mutationFn: (id: string) => apiFetch<ApiKeyView>(`${keysPath(slug)}/${id}/revoke`, { method: "POST" }),
    onSuccess: invalidate,
  });
}
