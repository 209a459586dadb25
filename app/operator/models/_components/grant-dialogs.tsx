"use client";

import { useId, useState, type FormEvent } from "react";
import { ApiError } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import type { SharedModel } from "@/lib/models/shared-models";
import { useOperatorTenants } from "../../_components/operator-api";
import { useGrantModel, useRevokeGrant } from "./shared-models-api";

type GrantProps = { model: SharedModel | null; onClose: () => void; onDone: (message: string) => void };

/** Grants a shared model to a tenant picked by slug (step-up: apiFetch asks for the code when needed). */
export function GrantDialog({ model, onClose, onDone }: GrantProps) {
  const grant = useGrantModel();
  const [slug, setSlug] = useState("");
  const listId = useId();
  const fieldError = grant.error instanceof ApiError ? grant.error.fields.tenant : undefined;

  function close() {
    grant.reset();
    setSlug("");
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!model || !slug.trim()) return;
    grant.mutate(
      { modelId: model.id, tenant: slug.trim() },
      { onSuccess: (g) => (onDone(`“${model.name}” granted to ${g.tenant.name} (${g.tenant.slug}).`), close()) },
    );
  }

  return (
    <Dialog
      open={model !== null}
      onClose={close}
      busy={grant.isPending}
      title={`Grant ${model?.name ?? ""}`}
      description="The tenant sees the model read-only and calls it with its own keys; the owner's backend serves it, under the tenant's limits and quota."
    >
      <form onSubmit={submit} aria-label="Grant model" noValidate>
        {grant.error && !fieldError && <Alert className="mb-4">{grant.error.message}</Alert>}
        <Input
          label="Tenant slug"
          name="tenant"
          value={slug}
          onChange={(e) => {
            setSlug(e.target.value);
            if (grant.error) grant.reset(); // the message was about the slug as it was
          }}
          list={listId}
          autoComplete="off"
          spellCheck={false}
          placeholder="acme"
          maxLength={100}
          autoFocus
          error={fieldError}
          hint={`Owned by ${model?.owner.slug ?? "…"}, which cannot be granted its own model.`}
          className="[&_input]:font-mono"
        />
        {model && <TenantOptions id={listId} model={model} />}
        <div className="mt-6 flex justify-end gap-3">
          <Button variant="secondary" onClick={close} disabled={grant.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={grant.isPending} disabled={!slug.trim()}>
            {grant.isPending ? "Granting…" : "Grant model"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Suggestions for the slug field: every tenant but the owner and those already granted (asked only while the dialog is open). */
function TenantOptions({ id, model }: { id: string; model: SharedModel }) {
  const tenants = useOperatorTenants();
  const taken = new Set([model.owner.slug, ...model.grants.map((g) => g.tenant.slug)]);
  return (
    <datalist id={id}>
      {(tenants.data ?? [])
        .filter((t) => !taken.has(t.slug))
        .map((t) => (
          <option key={t.id} value={t.slug}>
            {t.name}
          </option>
        ))}
    </datalist>
  );
}

export type RevokeTarget = { model: SharedModel; tenant: { name: string; slug: string } };
type RevokeProps = { target: RevokeTarget | null; onClose: () => void; onDone: (message: string) => void };

/** Takes a grant away (step-up). */
export function RevokeGrantDialog({ target, onClose, onDone }: RevokeProps) {
  const revoke = useRevokeGrant();

  function close() {
    revoke.reset();
    onClose();
  }

  return (
    <Dialog
      open={target !== null}
      onClose={close}
      busy={revoke.isPending}
      title={`Revoke ${target?.model.name ?? ""} from ${target?.tenant.name ?? ""}?`}
      description="Every gateway refuses the model to this tenant within about a second (404 model_not_found), and it leaves the tenant's models page. Its keys keep the name in their allow-lists."
    >
      {revoke.error && <Alert className="mb-4">{revoke.error.message}</Alert>}
      <div className="flex flex-wrap justify-end gap-3">
        <Button variant="secondary" onClick={close} disabled={revoke.isPending}>
          Cancel
        </Button>
        <Button
          variant="danger"
          loading={revoke.isPending}
          onClick={() =>
            target &&
            revoke.mutate(
              { modelId: target.model.id, tenant: target.tenant.slug },
              { onSuccess: () => (onDone(`“${target.model.name}” revoked from ${target.tenant.name} (${target.tenant.slug}).`), close()) },
            )
          }
        >
          {revoke.isPending ? "Revoking…" : "Revoke grant"}
        </Button>
      </div>
    </Dialog>
  );
}
