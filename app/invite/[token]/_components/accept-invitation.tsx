"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export function AcceptInvitation({ token, tenantName }: { token: string; tenantName: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function accept() {
    setPending(true);
    setError(null);
    try {
      const { tenant } = await apiFetch<{ tenant: { slug: string } }>("/api/v1/account/invitations", { method: "POST", body: { token } });
      router.push(`/t/${tenant.slug}`);
      router.refresh();
    } catch (err) {
      setPending(false);
      setError(err instanceof Error ? err.message : "Something went wrong. Try again.");
    }
  }

  return (
    <div className="space-y-3">
      {error && <Alert>{error}</Alert>}
      <Button className="w-full" loading={pending} onClick={accept}>
        Join {tenantName}
      </Button>
    </div>
  );
}
