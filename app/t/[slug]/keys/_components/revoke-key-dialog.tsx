"use client";

import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Dialog } from "@/components/ui/dialog";
import type { ApiKeyView } from "@/lib/keys/key-schemas";
import { DialogButtons } from "./dialog-buttons";
import { useRevokeKey } from "./keys-api";

type Props = { slug: string; target: ApiKeyView | null; onClose: () => void; onRevoked: (key: ApiKeyView) => void };

export function RevokeKeyDialog({ slug, target, onClose, onRevoked }: Props) {
  const revoke = useRevokeKey(slug);

  function close() {
    revoke.reset();
    onClose();
  }

  return (
    <Dialog
      open={target !== null}
      onClose={close}
      busy={revoke.isPending}
      title={`Revoke “${target?.name ?? ""}”?`}
      description="Every application using this key — including secrets still in a rotation grace period — is refused within about a second. This cannot be undone."
    >
      {revoke.error && <Alert className="mb-4">{revoke.error.message}</Alert>}
      {target && (
        <p className="text-sm text-zinc-600">
          Key <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800">{target.displayPrefix}…</code>{" "}
          stays listed as revoked, with its history in the audit log.
        </p>
      )}
      <DialogButtons>
        <Button variant="secondary" onClick={close} disabled={revoke.isPending}>
          Cancel
        </Button>
        <Button
          variant="danger"
          loading={revoke.isPending}
          onClick={() => {
            if (!target) return;
            revoke.mutate(target.id, {
              onSuccess: (key) => {
                onRevoked(key);
                close();
              },
            });
          }}
        >
          {revoke.isPending ? "Revoking…" : "Revoke key"}
        </Button>
      </DialogButtons>
    </Dialog>
  );
}
