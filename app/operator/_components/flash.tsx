"use client";

import { useEffect } from "react";
import { CheckIcon } from "@/components/ui/icons";

/** A success message above the table that fades after a few seconds. */
export function Flash({ text, onDismiss }: { text: string; onDismiss: () => void }) {
  useEffect(() => {
    const timer = setTimeout(onDismiss, 6000);
    return () => clearTimeout(timer);
  }, [text, onDismiss]);
  return (
    <div role="status" data-testid="operator-notice" className="flex items-center gap-2.5 rounded-lg bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200">
      <CheckIcon className="size-5 shrink-0 text-emerald-600" />
      <p className="flex-1">{text}</p>
      <button type="button" onClick={onDismiss} className="rounded px-1.5 text-xs font-medium opacity-70 hover:opacity-100">
        Dismiss
      </button>
    </div>
  );
}
