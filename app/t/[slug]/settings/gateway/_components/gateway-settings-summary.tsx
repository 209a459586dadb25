"use client";

import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import type { GatewaySettings } from "@/lib/tenants/gateway-settings-schemas";
import { ALLOWLIST_DESCRIPTION, FAIL_OPEN_WARNING, LIMITS_DESCRIPTION, REDIS_DESCRIPTION, REDIS_MODES, Section } from "./gateway-fields";
import { describeRateLimit } from "@/components/console/rate-limit";
import { formatBytes } from "./gateway-form";

/** The settings as text, for members who may not change them (developers, viewers). */
export function GatewaySettingsSummary({ settings }: { settings: GatewaySettings }) {
  const mode = REDIS_MODES.find((m) => m.mode === settings.redisFailureMode)!;
  return (
    <Card data-testid="gateway-settings">
      <CardHeader
        title="Gateway access"
        description="How the gateway treats every request made with this tenant's API keys. Only owners and admins can change these settings."
      />
      <div className="divide-y divide-zinc-100">
        <Section title="IP allow-list" description={ALLOWLIST_DESCRIPTION} testId="gateway-ip-section">
          {settings.ipAllowlist.length ? (
            <ul className="flex flex-wrap gap-2" aria-label="Allowed addresses">
              {settings.ipAllowlist.map((cidr) => (
                <li key={cidr} className="rounded-md bg-zinc-100 px-2 py-1 font-mono text-sm text-zinc-800 ring-1 ring-inset ring-zinc-200">
                  {cidr}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-zinc-900">Any address</p>
          )}
        </Section>
        <Section title="Limits" description={LIMITS_DESCRIPTION}>
          <dl className="grid gap-4 sm:grid-cols-2">
            <div>
              <dt className="text-sm font-medium text-zinc-500">Maximum request body</dt>
              <dd className="mt-1 text-sm text-zinc-900" data-testid="gateway-body-limit">
                {formatBytes(settings.maxBodyBytes)}
                <span className="block text-xs text-zinc-500">Platform ceiling {formatBytes(settings.maxBodyBytesLimit)}</span>
              </dd>
            </div>
            <div>
              <dt className="text-sm font-medium text-zinc-500">Tenant rate limit</dt>
              <dd className="mt-1 text-sm text-zinc-900" data-testid="gateway-rate-limit">
                {settings.rateLimit ? describeRateLimit(settings.rateLimit) : "None (each key's own limit applies)"}
              </dd>
            </div>
          </dl>
        </Section>
        <Section title="When Redis is unreachable" description={REDIS_DESCRIPTION} testId="gateway-redis-section">
          <p className="flex items-center gap-2 text-sm font-medium text-zinc-900">
            {mode.label}
            {settings.redisFailureMode === "closed" ? <Badge>Default</Badge> : <Badge tone="amber">Limits off without Redis</Badge>}
          </p>
          <p className="mt-1 text-sm text-zinc-500">{mode.hint}</p>
          {settings.redisFailureMode === "open" && (
            <Alert tone="warning" className="mt-4">
              {FAIL_OPEN_WARNING}
            </Alert>
          )}
        </Section>
      </div>
    </Card>
  );
}
