"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

/** The filters as query parameters (what the API takes). Empty fields are left out. */
export type AuditFilterValues = {
  actorType?: string;
  actor?: string;
  action?: string;
  target?: string;
  outcome?: string;
  from?: string;
  to?: string;
  tenant?: string;
};

/** `<input type="datetime-local">` gives "2026-11-26T08:00" with no zone; the console speaks UTC. */
export const localToUtc = (v: string) => (v ? `${v.length === 16 ? `${v}:00` : v}Z` : "");

export function toSearchParams(filters: AuditFilterValues, extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) params.set(k, v);
  return params;
}

export function AuditFilters({
  onApply,
  withTenant = false,
  initial = {},
}: {
  onApply: (filters: AuditFilterValues) => void;
  /** The operator's search adds a tenant (slug) field. */
  withTenant?: boolean;
  /** What the form starts with (e.g. the tenant from the page's URL); the search applies it already. */
  initial?: Record<string, string>;
}) {
  const [form, setForm] = useState<Record<string, string>>(initial);
  const set = (k: string) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    onApply({ ...form, from: localToUtc(form.from ?? ""), to: localToUtc(form.to ?? "") });
  }
  function reset() {
    setForm({});
    onApply({});
  }

  return (
    <form onSubmit={submit} className="grid gap-3 border-b border-zinc-100 px-5 py-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Filter audit entries">
      {withTenant && <Input label="Tenant" placeholder="slug" value={form.tenant ?? ""} onChange={set("tenant")} name="tenant" />}
      <Select label="Actor type" value={form.actorType ?? ""} onChange={set("actorType")} name="actorType">
        <option value="">Any</option>
        <option value="user">User</option>
        <option value="api_key">API key</option>
        <option value="operator">Operator</option>
        <option value="system">System</option>
      </Select>
      <Input label="Actor" placeholder="email or id" value={form.actor ?? ""} onChange={set("actor")} name="actor" />
      <Input label="Action" placeholder="key.create or key.*" value={form.action ?? ""} onChange={set("action")} name="action" />
      <Input label="Target" placeholder="id or type" value={form.target ?? ""} onChange={set("target")} name="target" />
      <Select label="Outcome" value={form.outcome ?? ""} onChange={set("outcome")} name="outcome">
        <option value="">Any</option>
        <option value="success">Success</option>
        <option value="failure">Failure</option>
        <option value="denied">Denied</option>
      </Select>
      <Input label="From (UTC)" type="datetime-local" value={form.from ?? ""} onChange={set("from")} name="from" />
      <Input label="To (UTC)" type="datetime-local" value={form.to ?? ""} onChange={set("to")} name="to" />
      <div className="flex items-end gap-2">
        <Button type="submit" size="sm">
          Apply filters
        </Button>
        <Button type="button" variant="secondary" size="sm" onClick={reset}>
          Reset
        </Button>
      </div>
    </form>
  );
}
