"use client";

import { useState, type FormEvent } from "react";
import { ApiError, fieldError } from "@/components/console/api-fetch";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import type { CreateKeyInput, KeyScope } from "@/lib/keys/key-schemas";
import { DialogButtons } from "./dialog-buttons";
import { useCreateKey, type CreatedKey } from "./keys-api";
import { AllowListFields, RateLimitField, ScopesField } from "./key-form-fields";
import { splitList } from "./key-options";
import { SecretPanel } from "./secret-panel";

type Props = { slug: string; grantableScopes: readonly KeyScope[]; open: boolean; onClose: () => void; onCreated: (key: CreatedKey) => void };

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

export function CreateKeyDialog({ slug, grantableScopes, open, onClose, onCreated }: Props) {
  const create = useCreateKey(slug);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [formKey, setFormKey] = useState(0);

  function close() {
    setCreated(null);
    create.reset();
    setFormKey((k) => k + 1); // a fresh, empty form next time
    onClose();
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      size="md"
      // A shown secret must not vanish by an accidental Escape: only "I've copied it" closes.
      busy={create.isPending || created !== null}
      title={created ? "API key created" : "Create API key"}
      description={
        created ? (
          <>
            <span className="font-medium text-zinc-700">{created.name}</span> is active.
          </>
        ) : (
          "Give the key only the scopes and reach its job needs."
        )
      }
    >
      {created ? (
        <SecretPanel secret={created.key}>
          <DialogButtons>
            <Button onClick={close}>I&apos;ve copied it</Button>
          </DialogButtons>
        </SecretPanel>
      ) : (
        <CreateKeyForm
          key={formKey}
          grantableScopes={grantableScopes}
          pending={create.isPending}
          error={create.error}
          onCancel={close}
          onSubmit={(input) =>
            create.mutate(input, {
              onSuccess: (key) => {
                setCreated(key);
                onCreated(key);
              },
            })
          }
        />
      )}
    </Dialog>
  );
}

type FormProps = {
  grantableScopes: readonly KeyScope[];
  pending: boolean;
  error: Error | null;
  onCancel: () => void;
  onSubmit: (input: CreateKeyInput) => void;
};

function CreateKeyForm({ grantableScopes, pending, error, onCancel, onSubmit }: FormProps) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<KeyScope[]>(["inference"]);
  const [models, setModels] = useState("");
  const [ips, setIps] = useState("");
  const [expiry, setExpiry] = useState("");
  const [requests, setRequests] = useState("");
  const [windowSeconds, setWindowSeconds] = useState(60);

  const fields = error instanceof ApiError ? error.fields : {};
  const formError = error && Object.keys(fields).length === 0 ? error.message : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit({
      name,
      scopes,
      models: splitList(models),
      ips: splitList(ips),
      // The end of the chosen day, UTC.
      expiresAt: expiry ? `${expiry}T23:59:59.999Z` : undefined,
      rateLimit: requests.trim() ? { requests: Number(requests), windowSeconds } : undefined,
    });
  }

  const toggle = (scope: KeyScope) =>
    setScopes((current) => (current.includes(scope) ? current.filter((s) => s !== scope) : [...current, scope]));

  return (
    <form onSubmit={submit} noValidate className="space-y-5" aria-label="Create API key">
      {formError && <Alert>{formError}</Alert>}
      <Input
        label="Name"
        name="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldError(fields, "name")}
        placeholder="Production backend"
        maxLength={100}
        autoComplete="off"
        autoFocus
        hint="So you can tell keys apart; never sent with requests."
      />

      <ScopesField grantableScopes={grantableScopes} scopes={scopes} onToggle={toggle} error={fieldError(fields, "scopes")} />

      <AllowListFields
        models={models}
        onModelsChange={setModels}
        modelsError={fieldError(fields, "models")}
        ips={ips}
        onIpsChange={setIps}
        ipsError={fieldError(fields, "ips")}
      />

      <div className="grid gap-5 sm:grid-cols-2">
        <Input
          label="Expires (optional)"
          name="expiresAt"
          type="date"
          value={expiry}
          min={tomorrow()}
          onChange={(e) => setExpiry(e.target.value)}
          error={fieldError(fields, "expiresAt")}
          hint="At the end of that day (UTC). Empty: never."
        />
        <RateLimitField
          requests={requests}
          onRequestsChange={setRequests}
          windowSeconds={windowSeconds}
          onWindowSecondsChange={setWindowSeconds}
          error={fieldError(fields, "rateLimit")}
        />
      </div>

      <DialogButtons>
        <Button variant="secondary" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" loading={pending}>
          {pending ? "Creating key…" : "Create key"}
        </Button>
      </DialogButtons>
    </form>
  );
}
