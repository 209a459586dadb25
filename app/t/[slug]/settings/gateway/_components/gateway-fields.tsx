"use client";

import { useId, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import type { GatewaySettings } from "@/lib/tenants/gateway-settings-schemas";
import { formatBytes, SIZE_UNITS, type GatewayForm, type SizeUnit } from "./gateway-form";

/** One part of the card: what it is on the left, its fields (or values) on the right. */
export function Section({ title, description, children, testId }: { title: string; description: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <div className="grid gap-4 px-5 py-6 md:grid-cols-[minmax(0,1fr)_minmax(0,2fr)] md:gap-8" data-testid={testId}>
      <div>
        <h3 className="text-sm font-semibold text-zinc-900">{title}</h3>
        <div className="mt-1 space-y-2 text-sm text-zinc-500">{description}</div>
      </div>
      <div className="min-w-0">{children}</div>
    </div>
  );
}

export const ALLOWLIST_DESCRIPTION = (
  <>
    <p>Every gateway request made with any of this tenant&apos;s keys must come from one of these addresses, on top of each key&apos;s own allow-list: a request has to pass both.</p>
    <p>It does not apply to this console or the management API.</p>
  </>
);

export function AllowlistField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string }) {
  const id = useId();
  const count = value.split(/[\s,]+/).filter(Boolean).length;
  return (
    <Section title="IP allow-list" description={ALLOWLIST_DESCRIPTION} testId="gateway-ip-section">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-900">
        Allowed addresses
      </label>
      <textarea
        id={id}
        name="ipAllowlist"
        rows={5}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={"203.0.113.0/24\n2001:db8::/32\n198.51.100.7"}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-${error ? "error" : "hint"}`}
        className={cx(
          "mt-1.5 block w-full rounded-md border-0 bg-white px-3 py-2 font-mono text-sm text-zinc-900 shadow-sm ring-1 ring-inset",
          "placeholder:text-zinc-400 focus:outline-none focus:ring-2",
          error ? "ring-red-400 focus:ring-red-500" : "ring-zinc-300 focus:ring-brand-600",
        )}
      />
      {error ? (
        <p id={`${id}-error`} className="mt-1.5 text-sm text-red-600" role="alert">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="mt-1.5 text-xs text-zinc-500">
          One IPv4 or IPv6 address or CIDR per line; a single address means just that address (/32 or /128).{" "}
          {count === 0 ? (
            <span className="font-medium text-zinc-700">Empty: requests from any address.</span>
          ) : (
            <span className="font-medium text-zinc-700">Requests from any other address are refused with 403 ip_not_allowed.</span>
          )}
        </p>
      )}
    </Section>
  );
}

export const LIMITS_DESCRIPTION =
  "For every request made with any of the tenant's keys. The tenant rate limit counts all keys together and applies on top of each key's own limit.";

type BodySizeProps = {
  size: string;
  unit: SizeUnit;
  ceiling: number;
  onChange: (change: Pick<GatewayForm, "bodySize" | "bodyUnit">) => void;
  error?: string;
};

/** The size in KiB or MiB; switching the unit converts what is typed, so the limit itself stays. */
export function BodySizeField({ size, unit, ceiling, onChange, error }: BodySizeProps) {
  const id = useId();
  function changeUnit(next: SizeUnit) {
    const n = Number(size);
    const converted = size.trim() !== "" && Number.isFinite(n) ? String((n * SIZE_UNITS[unit]) / SIZE_UNITS[next]) : size;
    onChange({ bodySize: converted, bodyUnit: next });
  }
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-900">
        Maximum request body
      </label>
      <div className="mt-1.5 flex max-w-xs gap-2">
        <div
          className={cx(
            "flex-1 rounded-md bg-white shadow-sm ring-1 ring-inset focus-within:ring-2",
            error ? "ring-red-400 focus-within:ring-red-500" : "ring-zinc-300 focus-within:ring-brand-600",
          )}
        >
          <input
            id={id}
            name="maxBodySize"
            inputMode="decimal"
            value={size}
            onChange={(e) => onChange({ bodySize: e.target.value, bodyUnit: unit })}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-${error ? "error" : "hint"}`}
            className="block h-9 w-full min-w-0 rounded-md border-0 bg-transparent px-3 py-1.5 text-sm tabular-nums text-zinc-900 focus:outline-none"
          />
        </div>
        <select
          aria-label="Unit of the maximum request body"
          value={unit}
          onChange={(e) => changeUnit(e.target.value as SizeUnit)}
          className="block h-9 w-24 rounded-md border-0 bg-white py-1.5 pl-3 pr-8 text-sm text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 focus:outline-none focus:ring-2 focus:ring-brand-600"
        >
          {Object.keys(SIZE_UNITS).map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </div>
      {error ? (
        <p id={`${id}-error`} className="mt-1.5 text-sm text-red-600" role="alert">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="mt-1.5 text-xs text-zinc-500">
          Larger requests are refused with 413 before they reach a model. From 1 KiB up to the platform ceiling of{" "}
          <span className="font-medium text-zinc-700">{formatBytes(ceiling)}</span>.
        </p>
      )}
    </div>
  );
}

type Mode = GatewaySettings["redisFailureMode"];

export const REDIS_MODES: ReadonlyArray<{ mode: Mode; label: string; hint: string }> = [
  {
    mode: "closed",
    label: "Fail closed",
    hint: "Requests are refused with 503 until Redis is back. Rate limits and quotas always hold.",
  },
  {
    mode: "open",
    label: "Fail open",
    hint: "Requests are admitted without rate limits or quota checks until Redis is back. Your models stay reachable.",
  },
];

export const REDIS_DESCRIPTION = "Redis holds the gateways' rate-limit and quota counters. If the gateways cannot reach it, they either refuse or admit this tenant's requests.";

export const FAIL_OPEN_WARNING =
  "While Redis is unreachable, nothing limits this tenant's requests: rate limits and quotas are not enforced, and a leaked key or a runaway client is held back only by your backends' capacity.";

export function RedisModeField({ value, onChange }: { value: Mode; onChange: (mode: Mode) => void }) {
  return (
    <Section title="When Redis is unreachable" description={REDIS_DESCRIPTION} testId="gateway-redis-section">
      <fieldset>
        <legend className="sr-only">When Redis is unreachable</legend>
        <div className="grid gap-3 sm:grid-cols-2">
          {REDIS_MODES.map((option) => (
            <label
              key={option.mode}
              className={cx(
                "flex cursor-pointer items-start gap-3 rounded-lg px-4 py-3 ring-1 ring-inset transition-colors",
                value === option.mode
                  ? option.mode === "open"
                    ? "bg-amber-50/60 ring-2 ring-amber-400"
                    : "bg-brand-50/60 ring-2 ring-brand-500"
                  : "ring-zinc-200 hover:bg-zinc-50",
              )}
            >
              <input
                type="radio"
                name="redisFailureMode"
                value={option.mode}
                checked={value === option.mode}
                onChange={() => onChange(option.mode)}
                className="mt-0.5 size-4 accent-brand-600"
              />
              <span>
                <span className="flex items-center gap-2 text-sm font-medium text-zinc-900">
                  {option.label}
                  {option.mode === "closed" && <Badge>Default</Badge>}
                </span>
                <span className="mt-0.5 block text-xs text-zinc-500">{option.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {value === "open" && (
        <Alert tone="warning" className="mt-4">
          {FAIL_OPEN_WARNING}
        </Alert>
      )}
    </Section>
  );
}
