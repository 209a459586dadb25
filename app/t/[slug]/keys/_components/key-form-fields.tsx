"use client";

import { useId, type ReactNode } from "react";
import { Input } from "@/components/ui/input";
import { cx } from "@/components/ui/cx";
import type { KeyScope } from "@/lib/keys/key-schemas";
import { RATE_WINDOWS, windowLabel } from "@/components/console/rate-limit";
import { SCOPE_OPTIONS } from "./key-options";

/** The fields the create and edit dialogs share. Values are the form's text; the dialogs turn them into API input. */

type ScopesFieldProps = {
  /** Scopes the member's role may put on a key; the others show greyed out. */
  grantableScopes: readonly KeyScope[];
  scopes: readonly KeyScope[];
  onToggle: (scope: KeyScope) => void;
  error?: string;
  /** Every checkbox read-only (e.g. the key already has a scope beyond the role), with this note. */
  lockedNote?: ReactNode;
};

export function ScopesField({ grantableScopes, scopes, onToggle, error, lockedNote }: ScopesFieldProps) {
  const id = useId();
  const describedBy = error ? `${id}-error` : lockedNote ? `${id}-note` : undefined;
  return (
    <fieldset aria-describedby={describedBy}>
      <legend className="text-sm font-medium text-zinc-900">Scopes</legend>
      <div className={cx("mt-1.5 grid gap-px overflow-hidden rounded-md bg-zinc-200 ring-1 sm:grid-cols-2", error ? "ring-red-400" : "ring-zinc-200")}>
        {SCOPE_OPTIONS.map(({ scope, label, description }, i) => {
          const grantable = grantableScopes.includes(scope);
          const enabled = grantable && !lockedNote;
          return (
            <label
              key={scope}
              title={grantable ? undefined : "Your role cannot grant this scope"}
              className={cx(
                "flex items-start gap-2.5 bg-white px-3 py-2",
                enabled ? "cursor-pointer hover:bg-zinc-50" : "cursor-not-allowed",
                !grantable && "opacity-60",
                // An odd last option spans both columns, so no empty cell shows.
                i === SCOPE_OPTIONS.length - 1 && SCOPE_OPTIONS.length % 2 === 1 && "sm:col-span-2",
              )}
            >
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                checked={scopes.includes(scope)}
                disabled={!enabled}
                onChange={() => onToggle(scope)}
                className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-brand-600"
              />
              <span className="min-w-0">
                <span className="block text-sm font-medium text-zinc-900">{label}</span>
                <span className="block text-xs text-zinc-500">{grantable ? description : `${description} — beyond your role`}</span>
              </span>
            </label>
          );
        })}
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="mt-1.5 text-sm text-red-600">
          {error}
        </p>
      ) : lockedNote ? (
        <p id={`${id}-note`} className="mt-1.5 text-xs text-zinc-500">
          {lockedNote}
        </p>
      ) : null}
    </fieldset>
  );
}

type AllowListFieldsProps = {
  models: string;
  onModelsChange: (text: string) => void;
  modelsError?: string;
  ips: string;
  onIpsChange: (text: string) => void;
  ipsError?: string;
};

/** The model and IP allow-lists, comma-separated; empty means no restriction. */
export function AllowListFields({ models, onModelsChange, modelsError, ips, onIpsChange, ipsError }: AllowListFieldsProps) {
  return (
    <div className="grid gap-5 sm:grid-cols-2">
      <Input
        label="Models (optional)"
        name="models"
        value={models}
        onChange={(e) => onModelsChange(e.target.value)}
        error={modelsError}
        placeholder="echo, llama-3-8b"
        autoComplete="off"
        spellCheck={false}
        hint="Comma-separated. Empty: every model of the tenant."
      />
      <Input
        label="IP allow-list (optional)"
        name="ips"
        value={ips}
        onChange={(e) => onIpsChange(e.target.value)}
        error={ipsError}
        placeholder="203.0.113.0/24, 2001:db8::/32"
        autoComplete="off"
        spellCheck={false}
        hint="CIDRs, IPv4 or IPv6. Empty: any address."
      />
    </div>
  );
}

type RateLimitFieldProps = {
  requests: string;
  onRequestsChange: (text: string) => void;
  windowSeconds: number;
  onWindowSecondsChange: (seconds: number) => void;
  error?: string;
};

/** "[1000] per [minute]"; an empty count means the key has no limit of its own. */
export function RateLimitField({ requests, onRequestsChange, windowSeconds, onWindowSecondsChange, error }: RateLimitFieldProps) {
  const id = useId();
  // A window set through the API may be none of the offered ones (90 s): offer it too, so it is kept.
  const custom = RATE_WINDOWS.some((w) => w.seconds === windowSeconds) ? null : windowLabel(windowSeconds);
  return (
    <div>
      <label htmlFor={`${id}-requests`} className="block text-sm font-medium text-zinc-900">
        Rate limit (optional)
      </label>
      <div
        className={cx(
          "mt-1.5 flex rounded-md bg-white shadow-sm ring-1 ring-inset focus-within:ring-2",
          error ? "ring-red-400 focus-within:ring-red-500" : "ring-zinc-300 focus-within:ring-brand-600",
        )}
      >
        <input
          id={`${id}-requests`}
          name="rateLimitRequests"
          type="number"
          inputMode="numeric"
          min={1}
          placeholder="1000"
          value={requests}
          onChange={(e) => onRequestsChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
          className="block h-9 w-full min-w-0 flex-1 rounded-l-md border-0 bg-transparent px-3 text-sm text-zinc-900 placeholder:text-zinc-400 focus:outline-none"
        />
        <span className="flex items-center px-1 text-sm text-zinc-500">per</span>
        <select
          aria-label="Rate limit window"
          value={windowSeconds}
          onChange={(e) => onWindowSecondsChange(Number(e.target.value))}
          className="h-9 rounded-r-md border-0 bg-transparent pr-2 pl-1 text-sm text-zinc-900 focus:outline-none"
        >
          {RATE_WINDOWS.map((w) => (
            <option key={w.seconds} value={w.seconds}>
              {w.label}
            </option>
          ))}
          {custom && <option value={windowSeconds}>{custom}</option>}
        </select>
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="mt-1.5 text-sm text-red-600">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="mt-1.5 text-xs text-zinc-500">
          Requests per window for this key. Empty: the tenant&apos;s limit only.
        </p>
      )}
    </div>
  );
}
