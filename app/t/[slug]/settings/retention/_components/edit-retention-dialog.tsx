"use client";

import { useState, type FormEvent } from "react";
import { ApiError } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import type { RetentionClassView, UpdateRetentionInput } from "@/lib/retention/retention-schemas";
import { useUpdateRetention } from "./retention-api";

type Props = { slug: string; classes: RetentionClassView[]; open: boolean; onClose: () => void };

/**
 * Days per data class. Saving is a sensitive action: the API asks for MFA
 * step-up, the dialog for it opens over this one, and the save is repeated.
 */
export function EditRetentionDialog({ slug, classes, open, onClose }: Props) {
  const update = useUpdateRetention(slug);
  const [days, setDays] = useState<Record<string, string>>({});
  const value = (c: RetentionClassView) => days[c.dataClass] ?? String(c.days);
  const fields = update.error instanceof ApiError ? update.error.fields : {};

  function close() {
    update.reset();
    setDays({});
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    // Only what changed: an emptied field returns a custom class to the default; anything not a
    // whole number goes to the API as typed, so its message says what is wrong.
    const input: Record<string, unknown> = {};
    for (const c of classes) {
      const text = value(c).trim();
      if (text === "") {
        if (!c.isDefault) input[c.dataClass] = null;
      } else if (!/^\d+$/.test(text)) {
        input[c.dataClass] = text;
      } else if (Number(text) !== c.days) {
        input[c.dataClass] = Number(text);
      }
    }
    if (Object.keys(input).length === 0) return close();
    update.mutate(input as UpdateRetentionInput, { onSuccess: close });
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      busy={update.isPending}
      size="md"
      title="Edit retention"
      description="Rows older than this are deleted by the next retention run. Leave a field empty to use the platform default. Changing retention needs a fresh MFA verification."
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        {update.error && !Object.keys(fields).length && <Alert>{update.error.message}</Alert>}
        {classes.map((c) => (
          <Input
            key={c.dataClass}
            name={c.dataClass}
            label={`${c.label} (days)`}
            type="number"
            inputMode="numeric"
            min={c.minimumDays}
            max={3650}
            value={value(c)}
            placeholder={String(c.defaultDays)}
            onChange={(e) => setDays((d) => ({ ...d, [c.dataClass]: e.target.value }))}
            error={fields[c.dataClass]}
            hint={`Default ${c.defaultDays} days${c.minimumDays > 1 ? `, at least ${c.minimumDays} (platform minimum)` : ""}.`}
          />
        ))}
        <div className="flex justify-end gap-3 pt-2">
          <Button type="button" variant="secondary" onClick={close} disabled={update.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save retention
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
