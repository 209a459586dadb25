"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { formatDateTime } from "@/lib/console/format";

type SessionItem = { id: string; current: boolean; authMethod: string; lastSeenAt: string; ip: string | null; userAgent: string | null };

function deviceOf(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = /Firefox\//.test(userAgent) ? "Firefox" : /Edg\//.test(userAgent) ? "Edge" : /Chrom(e|ium)\//.test(userAgent) ? "Chrome" : /Safari\//.test(userAgent) ? "Safari" : "Browser";
  const os = /Windows/.test(userAgent) ? "Windows" : /Mac OS X/.test(userAgent) ? "macOS" : /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Linux/.test(userAgent) ? "Linux" : "";
  return os ? `${browser} on ${os}` : browser;
}

export function SessionsCard({ sessions }: { sessions: SessionItem[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  const others = sessions.filter((s) => !s.current).length;

  return (
    <Card aria-labelledby="sessions-title">
      <CardHeader
        title={<span id="sessions-title">Sessions</span>}
        description="Where you are signed in."
        actions={
          others > 0 ? (
            <Button
              variant="secondary"
              size="sm"
              loading={pending}
              onClick={async () => {
                setPending(true);
                try {
                  const { ended } = await apiFetch<{ ended: number }>("/api/v1/account/sessions", { method: "DELETE" });
                  setMessage({ tone: "success", text: `Signed out ${ended} other session${ended === 1 ? "" : "s"}.` });
                  router.refresh();
                } catch (err) {
                  setMessage({ tone: "error", text: err instanceof Error ? err.message : "Try again." });
                } finally {
                  setPending(false);
                }
              }}
            >
              Sign out other sessions
            </Button>
          ) : null
        }
      />
      {message && <Alert tone={message.tone} className="mx-5 mt-4">{message.text}</Alert>}
      <ul className="divide-y divide-zinc-100 px-5 py-2">
        {sessions.map((s) => (
          <li key={s.id} className="flex items-center justify-between gap-4 py-3 text-sm">
            <div>
              <p className="font-medium text-zinc-900">
                {deviceOf(s.userAgent)}
                {s.current && (
                  <span className="ml-2">
                    <Badge tone="brand">This session</Badge>
                  </span>
                )}
              </p>
              <p className="text-zinc-500">
                {s.ip ?? "Unknown address"} · {s.authMethod === "oidc" ? "single sign-on" : "password"} · last active {formatDateTime(s.lastSeenAt)}
              </p>
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}
