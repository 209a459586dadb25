"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** Freshly issued recovery codes: shown once, with copy and download. */
export function RecoveryCodesPanel({ codes, onDone, doneLabel }: { codes: string[]; onDone: () => void; doneLabel: string }) {
  const [copied, setCopied] = useState(false);
  const text = `ModelGate recovery codes\n\n${codes.join("\n")}\n\nEach code works once.\n`;

  return (
    <div className="space-y-4" data-testid="recovery-codes">
      <Alert tone="warning">
        Save these recovery codes somewhere safe, such as a password manager. They are shown only now. Each one lets
        you in once if you lose your authenticator.
      </Alert>
      <ul className="grid grid-cols-2 gap-2 rounded-lg bg-zinc-50 p-4 font-mono text-sm text-zinc-900 ring-1 ring-inset ring-zinc-200">
        {codes.map((code) => (
          <li key={code} data-testid="recovery-code" className="tracking-wide">
            {code}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-3">
        <Button
          variant="secondary"
          size="sm"
          onClick={async () => {
            await navigator.clipboard?.writeText(text).catch(() => {});
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy codes"}
        </Button>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
            const a = Object.assign(document.createElement("a"), { href: url, download: "modelgate-recovery-codes.txt" });
            a.click();
            URL.revokeObjectURL(url);
          }}
        >
          Download
        </Button>
      </div>
      <div className="border-t border-zinc-100 pt-4">
        <Button onClick={onDone}>{doneLabel}</Button>
      </div>
    </div>
  );
}
