"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, apiFetch } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { formatDate } from "@/lib/console/format";

type Props = {
  provider: { id: string; name: string };
  hasPassword: boolean;
  identities: { id: string; email: string | null; createdAt: string }[];
};

/** Linking the OIDC provider: confirm the password, then sign in at the provider. */
export function SsoCard({ provider, hasPassword, identities }: Props) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onLink(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await apiFetch("/api/v1/account/identities/link", { method: "POST", body: { password } });
      await signIn(provider.id, { callbackUrl: "/account/security" });
    } catch (err) {
      setPending(false);
      setError(err instanceof ApiError && err.fields.password ? err.fields.password : err instanceof Error ? err.message : "Try again.");
    }
  }

  async function unlink(id: string) {
    setError(null);
    try {
      await apiFetch(`/api/v1/account/identities/${id}`, { method: "DELETE" });
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : "Try again.");
    }
  }

  return (
    <Card aria-labelledby="sso-title">
      <CardHeader title={<span id="sso-title">Single sign-on</span>} description={`Sign in with ${provider.name} instead of your password.`} />
      <div className="px-5 py-5">
        {error && !open && <Alert className="mb-4">{error}</Alert>}
        {identities.length ? (
          <ul className="divide-y divide-zinc-100">
            {identities.map((i) => (
              <li key={i.id} className="flex items-center justify-between gap-4 py-2 first:pt-0 last:pb-0">
                <div className="text-sm">
                  <p className="font-medium text-zinc-900">{provider.name}</p>
                  <p className="text-zinc-500">
                    {i.email ?? "Linked identity"} · linked {formatDate(i.createdAt)}
                  </p>
                </div>
                {hasPassword && (
                  <Button variant="ghost" size="sm" onClick={() => unlink(i.id)}>
                    Unlink
                  </Button>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <div className="flex flex-wrap items-center justify-between gap-4">
            <p className="text-sm text-zinc-600">Not linked. Accounts are never linked by email alone; you confirm it here.</p>
            {hasPassword && (
              <Button variant="secondary" onClick={() => setOpen(true)}>
                Link {provider.name}
              </Button>
            )}
          </div>
        )}
      </div>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        busy={pending}
        title={`Link ${provider.name}`}
        description={`Confirm your password. You will then sign in at ${provider.name}, and that identity will be linked to this account.`}
      >
        <form onSubmit={onLink} className="space-y-4" noValidate>
          {error && <Alert>{error}</Alert>}
          <Input label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus />
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" loading={pending} disabled={!password}>
              Continue to {provider.name}
            </Button>
          </div>
        </form>
      </Dialog>
    </Card>
  );
}
