"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Input } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/errors/app-error";
import { USAGE_PRESETS, type UsagePreset } from "@/lib/usage/usage-schemas";
import type { UsageSelection } from "./usage-api";

const LABELS: Record<UsagePreset, string> = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days" };

const segment = (active: boolean) =>
  cx(
    "h-9 px-3.5 text-sm font-medium transition-colors focus-visible:z-10 focus-visible:outline-2 focus-visible:outline-brand-600",
    active ? "bg-brand-50 text-brand-700" : "bg-white text-zinc-700 hover:bg-zinc-50",
  );

type PickerProps = {
  selection: UsageSelection;
  customOpen: boolean;
  onPreset: (preset: UsagePreset) => void;
  onCustom: () => void;
};

/** 24h / 7d / 30d (ending now) or Custom, as one segmented control. */
export function RangePicker({ selection, customOpen, onPreset, onCustom }: PickerProps) {
  return (
    <div role="group" aria-label="Time range" className="inline-flex divide-x divide-zinc-300 overflow-hidden rounded-md shadow-sm ring-1 ring-inset ring-zinc-300">
      {USAGE_PRESETS.map((preset) => (
        <button
          key={preset}
          type="button"
          title={LABELS[preset]}
          aria-pressed={!customOpen && "preset" in selection && selection.preset === preset}
          onClick={() => onPreset(preset)}
          className={segment(!customOpen && "preset" in selection && selection.preset === preset)}
        >
          {preset}
        </button>
      ))}
      <button type="button" aria-pressed={customOpen} onClick={onCustom} className={segment(customOpen)}>
        Custom
      </button>
    </div>
  );
}

/** "2026-11-26T10:00:00.000Z" → "2026-11-26T10:00" (a datetime-local value, read as UTC). */
const toLocalInput = (iso: string) => iso.slice(0, 16);
const fromLocalInput = (value: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value);

type FormProps = {
  /** The range shown so far: the form starts from it (else the last 3 hours). */
  from?: string;
  to?: string;
  onApply: (selection: UsageSelection) => void;
  /** Field errors the API gave for the range (from, to, range, granularity). */
  errors?: FieldErrors;
};

/** From/to in UTC; the API validates them and its field errors show under the inputs. */
export function CustomRangeForm({ from: initialFrom, to: initialTo, onApply, errors }: FormProps) {
  const [from, setFrom] = useState(() => toLocalInput(initialFrom ?? new Date(Date.now() - 3 * 3_600_000).toISOString()));
  const [to, setTo] = useState(() => toLocalInput(initialTo ?? new Date().toISOString()));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    onApply({ from: fromLocalInput(from), to: fromLocalInput(to) });
  };
  return (
    <form
      onSubmit={apply}
      aria-label="Custom range"
      className="flex flex-wrap items-start justify-end gap-3 rounded-xl bg-white px-5 py-4 shadow-card ring-1 ring-zinc-200"
    >
      <p className="mr-auto max-w-xs self-center text-sm text-zinc-500">Any range up to 400 days. Times are UTC; buckets are whole minutes, hours or days.</p>
      <Input label="From (UTC)" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} error={errors?.from ?? errors?.range} className="w-56" />
      <Input label="To (UTC)" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} error={errors?.to ?? errors?.granularity} className="w-56" />
      <Button type="submit" className="mt-7">
        Apply
      </Button>
    </form>
  );
}
