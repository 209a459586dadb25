"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { OperatorTenant } from "@/lib/quotas/operator-overview";
import { useClearQuota, useSetQuota } from "./operator-api";

type Props = { target: OperatorTenant | null; onClose: () => void; onSaved: (message: string) => void };

const parseLimit = (text: string): number | null => {
  const n = Number(text.replace(/[,_\s]/g, ""));
  return text.trim() === "" ? null : Number.isSafeInteger(n) ? n : NaN;
};

/** Sets (or removes) a tenant's quota. Both are step-up actions: apiFetch asks for the code when needed. */
export function QuotaDialog({ target, onClose, onSaved }: Props) {
  const setQuota = useSetQuota();
  const clearQuota = useClearQuota();
  const busy = setQuota.isPending || clearQuota.isPending;
  const error = setQuota.error ?? clearQuota.error;
  const fields = (setQuota.error as { fields?: Record<string, string> } | null)?.fields ?? {};
  const [form, setForm] = useState<Record<string, string | boolean>>({});
  const q = target?.quota;
  const value = <T extends string | boolean>(name: string, fallback: T): T => (name in form ? (form[name] as T) : fallback);
  const period = value("period", q?.period ?? "month");
  const requests = value("requests", q?.requests ? String(q.requests.limit) : "");
  const requestsHard = value("requestsHard", q?.requests?.hard ?? true);
  const tokens = value("tokens", q?.tokens ? String(q.tokens.limit) : "");
  const tokensHard = value("tokensHard", q?.tokens?.hard ?? false);
  const timeZone = value("timeZone", target?.timeZone ?? "UTC");
  const set = (name: string) => (v: string | boolean) => setForm((f) => ({ ...f, [name]: v }));

  function close() {
    setQuota.reset();
    clearQuota.reset();
    setForm({});
    onClose();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!target) return;
    const r = parseLimit(requests);
    const t = parseLimit(tokens);
    setQuota.mutate(
      {
        slug: target.slug,
        input: {
          period: period as "day" | "month",
          requests: r === null ? null : { limit: r, hard: requestsHard },
          tokens: t === null ? null : { limit: t, hard: tokensHard },
          timeZone,
        },
      },
      { onSuccess: () => (onSaved(`Quota of ${target.name} saved. Gateways apply it within about a second.`), close()) },
    );
  }

  return (
    <Dialog
      open={target !== null}
      onClose={close}
      busy={busy}
      size="md"
      title={`Quota for ${target?.name ?? ""}`}
      description="Counted per day or calendar month in the tenant's time zone. Soft limits warn (X-Quota-Warning); hard limits deny with 429 quota_exceeded until the period ends."
    >
      <form onSubmit={submit} className="space-y-4" data-testid="quota-form">
        {error && <Alert>{error.message}</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          <Select label="Period" value={period} onChange={(e) => set("period")(e.target.value)} name="period">
            <option value="day">Day</option>
            <option value="month">Calendar month</option>
          </Select>
          <Input label="Time zone (IANA)" value={timeZone} onChange={(e) => set("timeZone")(e.target.value)} error={fields.timeZone} name="timeZone" placeholder="UTC" />
        </div>
        <LimitRow
          label="Requests"
          value={requests}
          onValue={set("requests")}
          hard={requestsHard}
          onHard={set("requestsHard")}
          error={fields["requests.limit"] ?? fields.requests}
          name="requests"
        />
        <LimitRow label="Tokens" value={tokens} onValue={set("tokens")} hard={tokensHard} onHard={set("tokensHard")} error={fields["tokens.limit"] ?? fields.tokens} name="tokens" />
        <p className="text-xs text-zinc-500">Leave a limit empty for none. Use already counted this period stays counted.</p>
        <div className="mt-6 flex flex-wrap items-center gap-3">
          {q && (
            <Button
              type="button"
              variant="ghost"
              className="text-red-600 hover:text-red-700"
              disabled={busy}
              onClick={() =>
                target &&
                clearQuota.mutate(target.slug, { onSuccess: () => (onSaved(`Quota of ${target.name} removed.`), close()) })
              }
            >
              Remove quota
            </Button>
          )}
          <div className="ml-auto flex gap-3">
            <Button type="button" variant="secondary" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={setQuota.isPending}>
              {setQuota.isPending ? "Saving…" : "Save quota"}
            </Button>
          </div>
        </div>
      </form>
    </Dialog>
  );
}

function LimitRow(props: { label: string; value: string; onValue: (v: string) => void; hard: boolean; onHard: (v: boolean) => void; error?: string; name: string }) {
  return (
    <div className="grid items-end gap-4 sm:grid-cols-[1fr_auto]">
      <Input
        label={`${props.label} per period`}
        inputMode="numeric"
        value={props.value}
        onChange={(e) => props.onValue(e.target.value)}
        error={props.error}
        name={props.name}
        placeholder="No limit"
      />
      <fieldset className="flex h-9 items-center gap-4 text-sm text-zinc-700">
        <legend className="sr-only">{props.label} limit kind</legend>
        <label className="flex items-center gap-1.5">
          <input type="radio" name={`${props.name}-kind`} checked={!props.hard} onChange={() => props.onHard(false)} className="accent-brand-600" />
          Soft
        </label>
        <label className="flex items-center gap-1.5">
          <input type="radio" name={`${props.name}-kind`} checked={props.hard} onChange={() => props.onHard(true)} className="accent-brand-600" />
          Hard
        </label>
      </fieldset>
    </div>
  );
}
