"use client";

import { useState, type FormEvent } from "react";
import { ApiError, fieldError } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { formatDate } from "@/lib/console/format";
import { KEY_SCOPES, normalizeCidr, type ApiKeyView, type KeyScope, type UpdateKeyInput } from "@/lib/keys/key-schemas";
import { DialogButtons } from "./dialog-buttons";
import { AllowListFields, RateLimitField, ScopesField } from "./key-form-fields";
import { SCOPE_OPTIONS, splitList } from "./key-options";
import { useUpdateKey } from "./keys-api";

type Props = {
  slug: string;
  grantableScopes: readonly KeyScope[];
  target: ApiKeyView | null;
  onClose: () => void;
  onSaved: (key: ApiKeyView) => void;
};

/** Name, scopes, allow-lists and rate limit of an active key; sends only what changed. */
export function EditKeyDialog({ slug, grantableScopes, target, onClose, onSaved }: Props) {
  const update = useUpdateKey(slug);

  function close() {
    update.reset();
    onClose();
  }

  return (
    <Dialog
      open={target !== null}
      onClose={close}
      size="md"
      busy={update.isPending}
      title={`Edit “${target?.name ?? ""}”`}
      description="Changes reach every gateway within about a second. The key's secret stays the same."
    >
      {target && (
        <EditKeyForm
          key={target.id}
          target={target}
          grantableScopes={grantableScopes}
          pending={update.isPending}
          error={update.error}
          onCancel={close}
          onSubmit={(input) =>
            update.mutate(
              { id: target.id, input },
              {
                onSuccess: (key) => {
                  onSaved(key);
                  close();
                },
              },
            )
          }
        />
      )}
    </Dialog>
  );
}

const SCOPE_ORDER: readonly string[] = SCOPE_OPTIONS.map((o) => o.scope);
const isKeyScope = (s: string): s is KeyScope => (KEY_SCOPES as readonly string[]).includes(s);
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

/** What the form holds, as PATCH input of only the fields that differ from the key. */
function changesOf(
  key: ApiKeyView,
  form: { name: string; scopes: KeyScope[]; models: string; ips: string; requests: string; windowSeconds: number },
): UpdateKeyInput {
  const models = splitList(form.models) ?? [];
  const ips = splitList(form.ips) ?? [];
  const rateLimit = form.requests.trim() ? { requests: Number(form.requests), windowSeconds: form.windowSeconds } : null;
  const sameRate =
    rateLimit === null || key.rateLimit === null
      ? rateLimit === key.rateLimit
      : rateLimit.requests === key.rateLimit.requests && rateLimit.windowSeconds === key.rateLimit.windowSeconds;
  return {
    ...(form.name.trim() !== key.name && { name: form.name }),
    ...(!sameSet(form.scopes, key.scopes.filter(isKeyScope)) && { scopes: [...form.scopes].sort((a, b) => SCOPE_ORDER.indexOf(a) - SCOPE_ORDER.indexOf(b)) }),
    ...(!sameSet(models, key.models) && { models }),
    // The API stores CIDRs in canonical form (1.2.3.4 → 1.2.3.4/32): the same list written otherwise is no change.
    ...(!sameSet(ips.map((ip) => normalizeCidr(ip) ?? ip), key.ips) && { ips }),
    ...(!sameRate && { rateLimit }),
  };
}

type FormProps = {
  target: ApiKeyView;
  grantableScopes: readonly KeyScope[];
  pending: boolean;
  error: Error | null;
  onCancel: () => void;
  onSubmit: (input: UpdateKeyInput) => void;
};

function EditKeyForm({ target, grantableScopes, pending, error, onCancel, onSubmit }: FormProps) {
  const [name, setName] = useState(target.name);
  const [scopes, setScopes] = useState<KeyScope[]>(target.scopes.filter(isKeyScope));
  const [models, setModels] = useState(target.models.join(", "));
  const [ips, setIps] = useState(target.ips.join(", "));
  const [requests, setRequests] = useState(target.rateLimit ? String(target.rateLimit.requests) : "");
  const [windowSeconds, setWindowSeconds] = useState(target.rateLimit?.windowSeconds ?? 60);

  const fields = error instanceof ApiError ? error.fields : {};
  const formError = error && Object.keys(fields).length === 0 ? error.message : null;
  const input = changesOf(target, { name, scopes, models, ips, requests, windowSeconds });
  const dirty = Object.keys(input).length > 0;
  const sensitive = input.scopes !== undefined || input.models !== undefined || input.ips !== undefined;
  // The API refuses a scope list reaching beyond the member's role, and this key's already does.
  const beyondRole = target.scopes.filter((s) => !(grantableScopes as readonly string[]).includes(s));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (dirty) onSubmit(input);
  }

  const toggle = (scope: KeyScope) =>
    setScopes((current) => (current.includes(scope) ? current.filter((s) => s !== scope) : [...current, scope]));

  return (
    <form onSubmit={submit} noValidate className="space-y-5" aria-label="Edit API key">
      {formError && <Alert>{formError}</Alert>}
      <Input
        label="Name"
        name="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldError(fields, "name")}
        maxLength={100}
        autoComplete="off"
        autoFocus
        hint="So you can tell keys apart; never sent with requests."
      />

      <ScopesField
        grantableScopes={grantableScopes}
        scopes={scopes}
        onToggle={toggle}
        error={fieldError(fields, "scopes")}
        lockedNote={
          beyondRole.length > 0 &&
          `This key has ${beyondRole.join(", ")}, beyond what your role may grant, so only an admin or owner can change its scopes.`
        }
      />

      <AllowListFields
        models={models}
        onModelsChange={setModels}
        modelsError={fieldError(fields, "models")}
        ips={ips}
        onIpsChange={setIps}
        ipsError={fieldError(fields, "ips")}
      />

      <div className="grid gap-5 sm:grid-cols-2">
        <div>
          <p className="text-sm font-medium text-zinc-900">Expires</p>
          <p className="mt-1.5 flex h-9 items-center rounded-md bg-zinc-50 px-3 text-sm text-zinc-700 ring-1 ring-zinc-200 ring-inset">
            {target.expiresAt ? formatDate(target.expiresAt) : "Never"}
          </p>
          <p className="mt-1.5 text-xs text-zinc-500">Set when the key was created; it cannot be changed.</p>
        </div>
        <RateLimitField
          requests={requests}
          onRequestsChange={setRequests}
          windowSeconds={windowSeconds}
          onWindowSecondsChange={setWindowSeconds}
          error={fieldError(fields, "rateLimit")}
        />
      </div>

      <DialogButtons>
        {sensitive && (
          <p className="min-w-0 flex-1 self-center text-xs text-zinc-500">Scope, model and IP changes ask for your authenticator code.</p>
        )}
        <Button variant="secondary" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" disabled={!dirty} loading={pending}>
          {pending ? "Saving…" : "Save changes"}
        </Button>
      </DialogButtons>
    </form>
  );
}
