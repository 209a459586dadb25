"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/console/api-fetch";
import type { CreateWebhookInput, WebhookDeliveryView, WebhookEndpointView } from "@/lib/webhooks/webhook-schemas";

const path = (slug: string) => `/api/v1/tenants/${encodeURIComponent(slug)}/webhooks`;
const key = (slug: string) => ["tenants", slug, "webhooks"] as const;

export type CreatedWebhook = WebhookEndpointView & { secret: string };

export function useWebhookEndpoints(slug: string) {
  return useQuery({ queryKey: [...key(slug), "endpoints"], queryFn: () => apiFetch<WebhookEndpointView[]>(path(slug)) });
}

export function useWebhookDeliveries(slug: string) {
  return useQuery({ queryKey: [...key(slug), "deliveries"], queryFn: () => apiFetch<WebhookDeliveryView[]>(`${path(slug)}/deliveries`), refetchInterval: 10_000 });
}

function useInvalidate(slug: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: key(slug) });
}

export function useCreateWebhook(slug: string) {
  const invalidate = useInvalidate(slug);
  return useMutation({
    mutationFn: (input: CreateWebhookInput) => apiFetch<CreatedWebhook>(path(slug), { method: "POST", body: input }),
    onSuccess: invalidate,
  });
}

export function useDeleteWebhook(slug: string) {
  const invalidate = useInvalidate(slug);
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(`${path(slug)}/${id}`, { method: "DELETE" }),
    onSuccess: invalidate,
  });
}

export function useTestWebhook(slug: string) {
  const invalidate = useInvalidate(slug);
  return useMutation({
    mutationFn: (id: string) => apiFetch<WebhookDeliveryView>(`${path(slug)}/${id}/test`, { method: "POST" }),
    onSettled: invalidate,
  });
}
