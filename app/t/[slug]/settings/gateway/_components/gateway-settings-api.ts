"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/console/api-fetch";
import type { GatewaySettings, UpdateGatewaySettingsInput } from "@/lib/tenants/gateway-settings-schemas";

const path = (slug: string) => `/api/v1/tenants/${encodeURIComponent(slug)}/gateway-settings`;
const key = (slug: string) => ["tenants", slug, "gateway-settings"] as const;

/** The settings; `initial` is what the page read on the server, so there is no loading state. */
export function useGatewaySettings(slug: string, initial: GatewaySettings) {
  return useQuery({
    queryKey: key(slug),
    queryFn: () => apiFetch<GatewaySettings>(path(slug)),
    initialData: initial,
  });
}

export function useUpdateGatewaySettings(slug: string) {
  const client = useQueryClient();
  return useMutation({
    // A sensitive action: apiFetch opens the step-up dialog when the API asks for it, then repeats the request.
    mutationFn: (input: UpdateGatewaySettingsInput) => apiFetch<GatewaySettings>(path(slug), { method: "PATCH", body: input }),
    onSuccess: (settings) => client.setQueryData(key(slug), settings),
  });
}
