"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/console/api-fetch";
import type {
  CreateModelInput,
  CreateVersionInput,
  ModelView,
  SplitInput,
  UpdateModelInput,
  UpdateVersionInput,
} from "@/lib/models/model-schemas";

const modelsPath = (slug: string) => `/api/v1/tenants/${encodeURIComponent(slug)}/models`;
export const modelsQueryKey = (slug: string) => ["tenants", slug, "models"] as const;
export const modelQueryKey = (slug: string, id: string) => ["tenants", slug, "models", id] as const;

export function useModels(slug: string) {
  return useQuery({ queryKey: modelsQueryKey(slug), queryFn: () => apiFetch<ModelView[]>(modelsPath(slug)) });
}

export function useModel(slug: string, id: string) {
  const client = useQueryClient();
  return useQuery({
    queryKey: modelQueryKey(slug, id),
    queryFn: () => apiFetch<ModelView>(`${modelsPath(slug)}/${id}`),
    // Coming from the list, show what it already knows while the read is in flight.
    initialData: () => client.getQueryData<ModelView[]>(modelsQueryKey(slug))?.find((m) => m.id === id),
  });
}

/** After a change: the answer is the model as stored; put it in both caches. */
function useStoreModel(slug: string) {
  const client = useQueryClient();
  return (model: ModelView) => {
    client.setQueryData(modelQueryKey(slug, model.id), model);
    client.setQueryData<ModelView[]>(modelsQueryKey(slug), (list) => list?.map((m) => (m.id === model.id ? model : m)));
    void client.invalidateQueries({ queryKey: modelsQueryKey(slug), exact: true });
  };
}

export function useCreateModel(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateModelInput) => apiFetch<ModelView>(modelsPath(slug), { method: "POST", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: modelsQueryKey(slug) }),
  });
}

/**
 * Changes a model's settings optimistically: the list and the detail show the
 * new values at once and go back if the server refuses (or the step-up is cancelled).
 */
export function useUpdateModel(slug: string) {
  const client = useQueryClient();
  const store = useStoreModel(slug);
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateModelInput }) =>
      apiFetch<ModelView>(`${modelsPath(slug)}/${id}`, { method: "PATCH", body: input }),
    onMutate: async ({ id, input }) => {
      await client.cancelQueries({ queryKey: modelsQueryKey(slug) });
      const list = client.getQueryData<ModelView[]>(modelsQueryKey(slug));
      const one = client.getQueryData<ModelView>(modelQueryKey(slug, id));
      const { defaultVersion: _ignored, ...plain } = input;
      const patch = (m: ModelView): ModelView => ({ ...m, ...(plain as Partial<ModelView>) });
      client.setQueryData<ModelView[]>(modelsQueryKey(slug), (l) => l?.map((m) => (m.id === id ? patch(m) : m)));
      if (one) client.setQueryData(modelQueryKey(slug, id), patch(one));
      return { list, one };
    },
    onError: (_err, { id }, previous) => {
      if (previous?.list) client.setQueryData(modelsQueryKey(slug), previous.list);
      if (previous?.one) client.setQueryData(modelQueryKey(slug, id), previous.one);
    },
    onSuccess: store,
  });
}

export function useDeleteModel(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(`${modelsPath(slug)}/${id}`, { method: "DELETE" }),
    onSuccess: (_r, id) => {
      client.setQueryData<ModelView[]>(modelsQueryKey(slug), (l) => l?.filter((m) => m.id !== id));
      client.removeQueries({ queryKey: modelQueryKey(slug, id) });
    },
  });
}

export function useAddVersion(slug: string) {
  const store = useStoreModel(slug);
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: CreateVersionInput }) =>
      apiFetch<ModelView>(`${modelsPath(slug)}/${id}/versions`, { method: "POST", body: input }),
    onSuccess: store,
  });
}

export function useUpdateVersion(slug: string) {
  const store = useStoreModel(slug);
  return useMutation({
    mutationFn: ({ id, versionId, input }: { id: string; versionId: string; input: UpdateVersionInput }) =>
      apiFetch<ModelView>(`${modelsPath(slug)}/${id}/versions/${versionId}`, { method: "PATCH", body: input }),
    onSuccess: store,
  });
}

export function useDeleteVersion(slug: string) {
  const store = useStoreModel(slug);
  return useMutation({
    mutationFn: ({ id, versionId }: { id: string; versionId: string }) =>
      apiFetch<ModelView>(`${modelsPath(slug)}/${id}/versions/${versionId}`, { method: "DELETE" }),
    onSuccess: store,
  });
}

export function useSetSplit(slug: string) {
  const store = useStoreModel(slug);
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: SplitInput }) =>
      apiFetch<ModelView>(`${modelsPath(slug)}/${id}/split`, { method: "PUT", body: input }),
    onSuccess: store,
  });
}

export function useClearSplit(slug: string) {
  const store = useStoreModel(slug);
  return useMutation({
    mutationFn: (id: string) => apiFetch<ModelView>(`${modelsPath(slug)}/${id}/split`, { method: "DELETE" }),
    onSuccess: store,
  });
}
