"use client";

import { useState, type FormEvent } from "react";
import { ApiError } from "@/components/console/api-fetch";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { cx } from "@/components/ui/cx";
import type { CreateKeyInput, KeyScope } from "@/lib/keys/key-schemas";
import { DialogButtons } from "./dialog-buttons";
import { useCreateKey, type CreatedKey } from "./keys-api";
import { fieldError, RATE_WINDOWS, SCOPE_OPTIONS, splitList } from "./key-options";
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
  const scopeError = fieldError(fields, "scopes");
  const rateError = fieldError(fields, "rateLimit");

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

      <fieldset aria-describedby={scopeError ? "scopes-error" : undefined}>
        <legend className="text-sm font-medium text-zinc-900">Scopes</legend>
        <div
          className={cx(
            "mt-1.5 grid gap-px overflow-hidden rounded-md bg-zinc-200 ring-1 sm:grid-cols-2",
            scopeError ? "ring-red-400" : "ring-zinc-200",
          )}
        >
          {SCOPE_OPTIONS.map(({ scope, label, description }, i) => {
            const grantable = grantableScopes.includes(scope);
            return (
              <label
                key={scope}
                title={grantable ? undefined : "Your role cannot grant this scope"}
                className={cx(
                  "flex items-start gap-2.5 bg-white px-3 py-2",
                  grantable ? "cursor-pointer hover:bg-zinc-50" : "cursor-not-allowed opacity-60",
                  // An odd last option spans both columns, so no empty cell shows.
                  i === SCOPE_OPTIONS.length - 1 && SCOPE_OPTIONS.length % 2 === 1 && "sm:col-span-2",
                )}
              >
                <input
                  type="checkbox"
                  name="scopes"
                  value={scope}
                  checked={scopes.includes(scope)}
                  disabled={!grantable}
                  onChange={() => toggle(scope)}
                  className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-brand-600"
                />
                <span className="min-w-0">
                  <span className="block text-sm font-medium text-zinc-900">{label}</span>
                  <span className="block text-xs text-zinc-500">{grantable ? description : `${description} — beyond your role`}</span>
                </span>
              </label>
            );
          })}
        </div>
        {scopeError && (
          <p id="scopes-error" role="alert" className="mt-1.5 text-sm text-red-600">
            {scopeError}
          </p>
        )}
      </fieldset>

      <div className="grid gap-5 sm:grid-cols-2">
        <Input
          label="Models (optional)"
          name="models"
          value={models}
          onChange={(e) => setModels(e.target.value)}
          error={fieldError(fields, "models")}
          placeholder="echo, llama-3-8b"
          autoComplete="off"
          spellCheck={false}
          hint="Comma-separated. Empty: every model of the tenant."
        />
        <Input
          label="IP allow-list (optional)"
          name="ips"
          value={ips}
          onChange={(e) => setIps(e.target.value)}
          error={fieldError(fields, "ips")}
          placeholder="203.0.113.0/24, 2001:db8::/32"
          autoComplete="off"
          spellCheck={false}
          hint="CIDRs, IPv4 or IPv6. Empty: any address."
        />
      </div>

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
        <div>
          <label htmlFor="rate-requests" className="block text-sm font-medium text-zinc-900">
            Rate limit (optional)
          </label>
          <div
            className={cx(
              "mt-1.5 flex rounded-md bg-white shadow-sm ring-1 ring-inset focus-within:ring-2",
              rateError ? "ring-red-400 focus-within:ring-red-500" : "ring-zinc-300 focus-within:ring-brand-600",
            )}
          >
            <input
              id="rate-requests"
              name="rateLimitRequests"
              type="number"
              inputMode="numeric"
              min={1}
              placeholder="1000"
              value={requests}
              onChange={(e) => setRequests(e.target.value)}
              aria-invalid={rateError ? true : undefined}
              aria-describedby={rateError ? "rate-error" : "rate-hint"}
              className="block h-9 w-full min-w-0 flex-1 rounded-l-md border-0 bg-transparent px-3 text-sm text-zinc-900 placeholder:text-zinc-400 focus:outline-none"
            />
            <span className="flex items-center px-1 text-sm text-zinc-500">per</span>
            <select
              aria-label="Rate limit window"
              value={windowSeconds}
              onChange={(e) => setWindowSeconds(Number(e.target.value))}
              className="h-9 rounded-r-md border-0 bg-transparent pr-2 pl-1 text-sm text-zinc-900 focus:outline-none"
            >
              {RATE_WINDOWS.map((w) => (
                <option key={w.seconds} value={w.seconds}>
                  {w.label}
                </option>
              ))}
            </select>
          </div>
          {rateError ? (
            <p id="rate-error" role="alert" className="mt-1.5 text-sm text-red-600">
              {rateError}
            </p>
          ) : (
            <p id="rate-hint" className="mt-1.5 text-xs text-zinc-500">
              Requests per window for this key. Empty: the tenant&apos;s limit only.
            </p>
          )}
        </div>
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
