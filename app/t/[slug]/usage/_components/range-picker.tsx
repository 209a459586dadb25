"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Input } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/errors/app-error";
import { USAGE_PRESETS, type UsagePreset } from "@/lib/usage/usage-schemas";
import { toZonedInput } from "@/components/console/chart-format";
import type { UsageSelection } from "./usage-view";

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

type FormProps = {
  /** The range shown so far (ISO instants): the form starts from it (else the last 3 hours). */
  from?: string;
  to?: string;
  /** The tenant's time zone: the inputs are wall-clock times in it, sent without an offset (the API reads them in it). */
  timeZone: string;
  onApply: (selection: UsageSelection) => void;
  /** Field errors the API gave for the range (from, to, range, granularity). */
  errors?: FieldErrors;
};

/** From/to in the tenant's time zone; the API validates them and its field errors show under the inputs. */
export function CustomRangeForm({ from: initialFrom, to: initialTo, timeZone, onApply, errors }: FormProps) {
  const [from, setFrom] = useState(() => toZonedInput(initialFrom ?? new Date(Date.now() - 3 * 3_600_000).toISOString(), timeZone));
  const [to, setTo] = useState(() => toZonedInput(initialTo ?? new Date().toISOString(), timeZone));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    onApply({ from, to });
  };
  return (
    <form
      onSubmit={apply}
      aria-label="Custom range"
      className="flex flex-wrap items-start justify-end gap-3 rounded-xl bg-white px-5 py-4 shadow-card ring-1 ring-zinc-200"
    >
      <p className="mr-auto max-w-xs self-center text-sm text-zinc-500">
        Any range up to 400 days. Times are in {timeZone}, the tenant&apos;s time zone; buckets are whole minutes, hours or days.
      </p>
      <Input label={`From (${timeZone})`} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} error={errors?.from ?? errors?.range} className="w-56" />
      <Input label={`To (${timeZone})`} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} error={errors?.to ?? errors?.granularity} className="w-56" />
      <Button type="submit" className="mt-7">
        Apply
      </Button>
    </form>
  );
}
