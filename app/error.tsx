"use client";

import { Button } from "@/components/ui/button";
import { AlertIcon } from "@/components/ui/icons";

/** Any unexpected error while rendering a page. Shows the digest, never the message. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-[60dvh] flex-col items-center justify-center px-6 py-16 text-center">
      <div className="flex size-10 items-center justify-center rounded-full bg-red-50 text-red-600">
        <AlertIcon />
      </div>
      <h1 className="mt-4 text-lg font-semibold text-zinc-900">Something went wrong</h1>
      <p className="mt-1 max-w-sm text-sm text-zinc-500">
        The page could not be loaded. Try again; if it keeps failing, contact support
        {error.digest ? (
          <>
            {" "}
            with reference <code className="font-mono text-xs text-zinc-700">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <Button variant="secondary" className="mt-6" onClick={reset}>
        Try again
      </Button>
    </main>
  );
}
