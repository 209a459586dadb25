"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Dialog } from "@/components/ui/dialog";
import { cx } from "@/components/ui/cx";
import { formatDateTime } from "@/lib/console/format";
import type { ApiKeyView } from "@/lib/keys/key-schemas";
import { DialogButtons } from "./dialog-buttons";
import { useRotateKey, type RotatedKey } from "./keys-api";
import { GRACE_OPTIONS } from "./key-options";
import { SecretPanel } from "./secret-panel";

type Props = { slug: string; target: ApiKeyView | null; onClose: () => void; onRotated: (key: RotatedKey) => void };

/** Rotation: choose how long the current secret lives on, then show the new one once. */
export function RotateKeyDialog({ slug, target, onClose, onRotated }: Props) {
  const rotate = useRotateKey(slug);
  const [grace, setGrace] = useState<number>(3600);
  const [rotated, setRotated] = useState<RotatedKey | null>(null);

  function close() {
    setRotated(null);
    setGrace(3600);
    rotate.reset();
    onClose();
  }

  return (
    <Dialog
      open={target !== null}
      onClose={close}
      busy={rotate.isPending || rotated !== null}
      size="md"
      title={rotated ? "Key rotated" : `Rotate “${target?.name ?? ""}”`}
      description={
        rotated
          ? grace === 0
            ? "The previous secret has stopped working."
            : `The previous secret keeps working until ${formatDateTime(rotated.previousValidUntil)}.`
          : "Issues a new secret for this key. Its id, name, scopes and limits stay the same."
      }
    >
      {rotated ? (
        <SecretPanel secret={rotated.key}>
          <DialogButtons>
            <Button onClick={close}>I&apos;ve copied it</Button>
          </DialogButtons>
        </SecretPanel>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!target) return;
            rotate.mutate(
              { id: target.id, graceSeconds: grace },
              {
                onSuccess: (key) => {
                  setRotated(key);
                  onRotated(key);
                },
              },
            );
          }}
        >
          <fieldset>
            <legend className="text-sm font-medium text-zinc-900">When should the current secret stop working?</legend>
            <div className="mt-2 space-y-2">
              {GRACE_OPTIONS.map((option) => (
                <label
                  key={option.seconds}
                  className={cx(
                    "flex cursor-pointer items-start gap-3 rounded-md px-3 py-2.5 ring-1 ring-inset",
                    grace === option.seconds ? "bg-brand-50/60 ring-brand-300" : "ring-zinc-200 hover:bg-zinc-50",
                  )}
                >
                  <input
                    type="radio"
                    name="grace"
                    value={option.seconds}
                    checked={grace === option.seconds}
                    onChange={() => setGrace(option.seconds)}
                    className="mt-0.5 size-4 accent-brand-600"
                  />
                  <span>
                    <span className="block text-sm font-medium text-zinc-900">{option.label}</span>
                    <span className="block text-xs text-zinc-500">{option.hint}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          {rotate.error && <Alert className="mt-4">{rotate.error.message}</Alert>}
          <DialogButtons>
            <Button variant="secondary" onClick={close} disabled={rotate.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={rotate.isPending}>
              {rotate.isPending ? "Rotating…" : "Rotate key"}
            </Button>
          </DialogButtons>
        </form>
      )}
    </Dialog>
  );
}
