"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { CheckIcon, CopyIcon } from "@/components/ui/icons";

/** A freshly issued secret: shown here once, with a copy button. */
export function SecretPanel({ secret, children }: { secret: string; children?: React.ReactNode }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "manual" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      // No clipboard permission (e.g. an embedded browser): select it for Ctrl+C instead.
      field.current?.select();
      setCopied("manual");
    }
  }

  return (
    <div className="space-y-4" data-testid="secret-panel">
      <Alert tone="warning">
        <span className="font-semibold">Copy this key now.</span> It won&apos;t be shown again: ModelGate stores only a
        hash of it.
      </Alert>
      <div>
        <label htmlFor="new-secret" className="block text-sm font-medium text-zinc-900">
          Your API key
        </label>
        <div className="mt-1.5 flex gap-2">
          <input
            ref={field}
            id="new-secret"
            readOnly
            value={secret}
            onFocus={(e) => e.currentTarget.select()}
            spellCheck={false}
            className="block h-9 min-w-0 flex-1 rounded-md bg-zinc-50 px-3 font-mono text-[13px] text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 focus:outline-none focus:ring-2 focus:ring-brand-600"
          />
          <Button variant="secondary" onClick={copy} aria-label="Copy key to clipboard">
            {copied === "yes" ? <CheckIcon className="size-4 text-emerald-600" /> : <CopyIcon className="size-4" />}
            {copied === "yes" ? "Copied" : "Copy"}
          </Button>
        </div>
        <p className="mt-1.5 text-xs text-zinc-500" aria-live="polite">
          {copied === "manual"
            ? "Your browser blocked the clipboard: the key is selected, press Ctrl+C (⌘C) to copy it."
            : (
              <>
                Send it in the <code className="font-mono text-zinc-700">Authorization: Bearer</code> header.
              </>
            )}
        </p>
      </div>
      {children}
    </div>
  );
}
