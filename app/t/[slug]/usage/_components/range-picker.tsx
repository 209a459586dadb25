"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Input } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/errors/app-error";
import { USAGE_PRESETS, type UsagePreset } from "@/lib/usage/usage-schemas";
import type { UsageSelection } from "./usage-api";

const LABELS: Record<UsagePreset, string> = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days" };
const SHORT: Record<UsagePreset, string> = { "24h": "24h", "7d": "7d", "30d": "30d" };

/** "2026-11-26T10:00:00.000Z" → "2026-11-26T10:00" (a datetime-local value, read as UTC). */
const toLocalInput = (iso: string) => iso.slice(0, 16);
const fromLocalInput = (value: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value);

type Props = {
  selection: UsageSelection;
  onChange: (selection: UsageSelection) => void;
  /** Field errors the API gave for a custom range (from, to, granularity). */
  errors?: FieldErrors;
};

export function RangePicker({ selection, onChange, errors }: Props) {
  const custom = !("preset" in selection);
  const [editing, setEditing] = useState(custom);
  const now = new Date();
  const [from, setFrom] = useState(custom ? toLocalInput(selection.from) : toLocalInput(new Date(now.getTime() - 3 * 3_600_000).toISOString()));
  const [to, setTo] = useState(custom ? toLocalInput(selection.to) : toLocalInput(now.toISOString()));

  const apply = (e: FormEvent) => {
    e.preventDefault();
    onChange({ from: fromLocalInput(from), to: fromLocalInput(to) });
  };

  return (
    <div className="flex flex-col items-end gap-3">
      <div role="group" aria-label="Time range" className="inline-flex rounded-md shadow-sm ring-1 ring-inset ring-zinc-300">
        {USAGE_PRESETS.map((preset, i) => {
          const active = !editing && "preset" in selection && selection.preset === preset;
          return (
            <button
              key={preset}
              type="button"
              aria-pressed={active}
              title={LABELS[preset]}
              onClick={() => {
                setEditing(false);
                onChange({ preset });
              }}
              className={cx(
                "h-9 px-3.5 text-sm font-medium transition-colors focus-visible:z-10 focus-visible:outline-2 focus-visible:outline-brand-600",
                i === 0 && "rounded-l-md",
                active ? "bg-brand-50 text-brand-700" : "bg-white text-zinc-700 hover:bg-zinc-50",
                "border-r border-zinc-300",
              )}
            >
              {SHORT[preset]}
            </button>
          );
        })}
        <button
          type="button"
          aria-pressed={editing}
          onClick={() => setEditing(true)}
          className={cx(
            "h-9 rounded-r-md px-3.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-brand-600",
            editing ? "bg-brand-50 text-brand-700" : "bg-white text-zinc-700 hover:bg-zinc-50",
          )}
        >
          Custom
        </button>
      </div>
      {editing && (
        <form onSubmit={apply} className="flex flex-wrap items-start gap-3 rounded-lg bg-white p-3 shadow-card ring-1 ring-zinc-200" aria-label="Custom range">
          <Input label="From (UTC)" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} error={errors?.from ?? errors?.range} className="w-52" />
          <Input label="To (UTC)" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} error={errors?.to ?? errors?.granularity} className="w-52" />
          <Button type="submit" className="mt-7">
            Apply
          </Button>
        </form>
      )}
    </div>
  );
}
