"use client";

import { useEffect } from "react";
import { AlertIcon, CheckIcon } from "@/components/ui/icons";
import { cx } from "@/components/ui/cx";

export type NoticeMessage = { tone: "success" | "error"; text: string; id: number };

export const notice = (tone: NoticeMessage["tone"], text: string): NoticeMessage => ({ tone, text, id: Date.now() });

/** A notice above a page's content (a save, a failure); success notices fade after a few seconds. */
export function Notice({ notice, onDismiss, testId }: { notice: NoticeMessage; onDismiss: () => void; testId: string }) {
  useEffect(() => {
    if (notice.tone !== "success") return;
    const timer = setTimeout(onDismiss, 6000);
    return () => clearTimeout(timer);
  }, [notice, onDismiss]);

  const success = notice.tone === "success";
  return (
    <div
      role={success ? "status" : "alert"}
      data-testid={testId}
      className={cx(
        "flex items-center gap-2.5 rounded-lg px-4 py-3 text-sm ring-1 ring-inset",
        success ? "bg-emerald-50 text-emerald-800 ring-emerald-200" : "bg-red-50 text-red-700 ring-red-200",
      )}
    >
      {success ? <CheckIcon className="size-5 shrink-0 text-emerald-600" /> : <AlertIcon className="size-5 shrink-0" />}
      <p className="flex-1">{notice.text}</p>
      <button
        type="button"
        onClick={onDismiss}
        className="rounded px-1.5 text-xs font-medium opacity-70 hover:opacity-100 focus-visible:outline-2 focus-visible:outline-current"
      >
        Dismiss
      </button>
    </div>
  );
}
