"use client";

import { useState, type FormEvent } from "react";
import { ApiError, fieldError } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import type { ModelVersionView, ModelView } from "@/lib/models/model-schemas";
import { CredentialFields, credentialInputOf, emptyCredential } from "./credential-fields";
import { numberOrUndefined } from "./model-format";
import { useAddVersion, useUpdateVersion } from "./models-api";

type Props = {
  slug: string;
  model: ModelView;
  /** The version to edit; null adds one. */
  version: ModelVersionView | null;
  open: boolean;
  onClose: () => void;
  onSaved: (text: string) => void;
};

const describeCredential = (v: ModelVersionView) => (v.credential ? (v.credential.kind === "bearer" ? "bearer token" : `header ${v.credential.header}`) : null);

/** Adds a version or edits one. The URL and the credential are sensitive: the API asks for a step-up. */
export function VersionDialog({ slug, model, version, open, onClose, onSaved }: Props) {
  const add = useAddVersion(slug);
  const update = useUpdateVersion(slug);
  const mutation = version ? update : add;
  const close = () => {
    add.reset();
    update.reset();
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      size="md"
      busy={mutation.isPending}
      title={version ? `Edit version ${version.label}` : "Add version"}
      description={version ? "Changing the backend URL or credential asks you to confirm with your authenticator." : "A new version serves no traffic until it is the default or the canary."}
    >
      {open && (
        <VersionForm
          key={version?.id ?? "new"}
          version={version}
          pending={mutation.isPending}
          error={mutation.error}
          onCancel={close}
          onSubmit={(draft) => {
            const credential = credentialInputOf(draft.credential, version?.credential != null);
            const done = (text: string) => () => {
              onSaved(text);
              close();
            };
            if (version) {
              update.mutate(
                {
                  id: model.id,
                  versionId: version.id,
                  input: {
                    url: draft.url.trim() !== version.url ? draft.url.trim() : undefined,
                    credential,
                    timeoutMs: numberOrUndefined(draft.timeout),
                    maxConcurrency: numberOrUndefined(draft.concurrency),
                  },
                },
                { onSuccess: done(`Version ${version.label} saved.`) },
              );
            } else {
              add.mutate(
                {
                  id: model.id,
                  input: {
                    label: draft.label.trim(),
                    url: draft.url.trim(),
                    credential: credential ?? undefined,
                    timeoutMs: numberOrUndefined(draft.timeout),
                    maxConcurrency: numberOrUndefined(draft.concurrency),
                  },
                },
                { onSuccess: done(`Version ${draft.label.trim()} added.`) },
              );
            }
          }}
        />
      )}
    </Dialog>
  );
}

type Draft = { label: string; url: string; timeout: string; concurrency: string; credential: ReturnType<typeof emptyCredential> };

function VersionForm({
  version,
  pending,
  error,
  onCancel,
  onSubmit,
}: {
  version: ModelVersionView | null;
  pending: boolean;
  error: Error | null;
  onCancel: () => void;
  onSubmit: (d: Draft) => void;
}) {
  const [draft, setDraft] = useState<Draft>({
    label: "",
    url: version?.url ?? "",
    timeout: String(version?.timeoutMs ?? 30000),
    concurrency: String(version?.maxConcurrency ?? 16),
    credential: emptyCredential(version?.credential != null),
  });
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const fields = error instanceof ApiError ? error.fields : {};
  const formError = error && Object.keys(fields).length === 0 ? error.message : null;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onSubmit(draft);
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-5" aria-label={version ? "Edit version" : "Add version"}>
      {formError && <Alert>{formError}</Alert>}
      {!version && (
        <Input label="Label" name="label" value={draft.label} onChange={(e) => set({ label: e.target.value })} error={fieldError(fields, "label")} placeholder="v2" autoComplete="off" autoFocus />
      )}
      <Input
        label="Backend URL"
        name="url"
        value={draft.url}
        onChange={(e) => set({ url: e.target.value })}
        error={fieldError(fields, "url")}
        autoComplete="off"
        spellCheck={false}
        autoFocus={!!version}
      />
      <div className="grid gap-5 sm:grid-cols-2">
        <Input label="Timeout (ms)" name="timeoutMs" type="number" min={100} value={draft.timeout} onChange={(e) => set({ timeout: e.target.value })} error={fieldError(fields, "timeoutMs")} />
        <Input
          label="Concurrency limit"
          name="maxConcurrency"
          type="number"
          min={1}
          value={draft.concurrency}
          onChange={(e) => set({ concurrency: e.target.value })}
          error={fieldError(fields, "maxConcurrency")}
          hint="In-flight requests per tenant."
        />
      </div>
      <CredentialFields value={draft.credential} onChange={(credential) => set({ credential })} fields={fields} current={version ? describeCredential(version) : undefined} />
      <div className="mt-6 flex flex-wrap justify-end gap-3">
        <Button variant="secondary" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" loading={pending}>
          {pending ? "Saving…" : version ? "Save version" : "Add version"}
        </Button>
      </div>
    </form>
  );
}
