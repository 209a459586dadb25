"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/console/api-fetch";
import type { DeadLetter, WorkersOverview } from "@/lib/queue/workers-schemas";

const base = "/api/v1/operator/workers";
const key = ["operator", "workers"] as const;
const jobPath = (job: DeadLetter) => `${base}/dead-letters/${encodeURIComponent(job.queue)}/${encodeURIComponent(job.id)}`;

export function useWorkersOverview() {
  return useQuery({ queryKey: [...key, "overview"], queryFn: () => apiFetch<WorkersOverview>(base), refetchInterval: 5_000 });
}

export function useDeadLetters() {
  return useQuery({ queryKey: [...key, "dead-letters"], queryFn: () => apiFetch<DeadLetter[]>(`${base}/dead-letters?limit=100`), refetchInterval: 15_000 });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: key });
}

export function useRetryDeadLetter() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (job: DeadLetter) => apiFetch<DeadLetter>(`${jobPath(job)}/retry`, { method: "POST" }), onSettled: invalidate });
}

export function useDiscardDeadLetter() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (job: DeadLetter) => apiFetch<void>(jobPath(job), { method: "DELETE" }), onSettled: invalidate });
}
