"use client";

import { useState, type FormEvent } from "react";
import { ApiError, fieldError } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ModelProtocol, ModelView } from "@/lib/models/model-schemas";
import { CredentialFields, credentialInputOf, emptyCredential } from "./credential-fields";
import { numberOrUndefined, PROTOCOL_OPTIONS } from "./model-format";
import { useCreateModel } from "./models-api";

type Props = { slug: string; open: boolean; onClose: () => void; onCreated: (model: ModelView) => void };

export function CreateModelDialog({ slug, open, onClose, onCreated }: Props) {
  const create = useCreateModel(slug);
  const [formKey, setFormKey] = useState(0);
  const close = () => {
    create.reset();
    setFormKey((k) => k + 1);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      size="md"
      busy={create.isPending}
      title="Register model"
      description="Where the gateway sends this model's requests. Setting a backend asks you to confirm with your authenticator."
    >
      <CreateModelForm
        key={formKey}
        pending={create.isPending}
        error={create.error}
        onCancel={close}
        onSubmit={(input) =>
          create.mutate(input, {
            onSuccess: (model) => {
              onCreated(model);
              close();
            },
          })
        }
      />
    </Dialog>
  );
}

type FormProps = {
  pending: boolean;
  error: Error | null;
  onCancel: () => void;
  onSubmit: (input: Parameters<ReturnType<typeof useCreateModel>["mutate"]>[0]) => void;
};

function CreateModelForm({ pending, error, onCancel, onSubmit }: FormProps) {
  const [name, setName] = useState("");
  const [protocol, setProtocol] = useState<ModelProtocol>("openai");
  const [url, setUrl] = useState("");
  const [version, setVersion] = useState("v1");
  const [description, setDescription] = useState("");
  const [timeout, setTimeoutMs] = useState("30000");
  const [concurrency, setConcurrency] = useState("16");
  const [credential, setCredential] = useState(emptyCredential());

  const fields = error instanceof ApiError ? error.fields : {};
  const formError = error && Object.keys(fields).length === 0 ? error.message : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit({
      name: name.trim(),
      protocol,
      url: url.trim(),
      version: version.trim() || undefined,
      description: description.trim() || undefined,
      timeoutMs: numberOrUndefined(timeout),
      maxConcurrency: numberOrUndefined(concurrency),
      credential: credentialInputOf(credential, false) ?? undefined,
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-5" aria-label="Register model">
      {formError && <Alert>{formError}</Alert>}
      <div className="grid gap-5 sm:grid-cols-2">
        <Input
          label="Name"
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(fields, "name")}
          placeholder="llama-3-8b"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          hint="What clients send as the model."
        />
        <Select
          label="Protocol"
          name="protocol"
          value={protocol}
          onChange={(e) => setProtocol(e.target.value as ModelProtocol)}
          error={fieldError(fields, "protocol")}
        >
          {PROTOCOL_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      </div>
      <Input
        label="Backend URL"
        name="url"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={fieldError(fields, "url")}
        placeholder={protocol === "openai" ? "http://127.0.0.1:8090/v1" : "http://127.0.0.1:8090"}
        autoComplete="off"
        spellCheck={false}
        hint={PROTOCOL_OPTIONS.find((o) => o.value === protocol)?.hint}
      />
      <div className="grid gap-5 sm:grid-cols-3">
        <Input label="First version" name="version" value={version} onChange={(e) => setVersion(e.target.value)} error={fieldError(fields, "version")} autoComplete="off" />
        <Input label="Timeout (ms)" name="timeoutMs" type="number" min={100} value={timeout} onChange={(e) => setTimeoutMs(e.target.value)} error={fieldError(fields, "timeoutMs")} />
        <Input
          label="Concurrency limit"
          name="maxConcurrency"
          type="number"
          min={1}
          value={concurrency}
          onChange={(e) => setConcurrency(e.target.value)}
          error={fieldError(fields, "maxConcurrency")}
          hint="In-flight requests per tenant."
        />
      </div>
      <Input
        label="Description (optional)"
        name="description"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={fieldError(fields, "description")}
        maxLength={500}
      />
      <CredentialFields value={credential} onChange={setCredential} fields={fields} />
      <div className="mt-6 flex flex-wrap justify-end gap-3">
        <Button variant="secondary" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" loading={pending}>
          {pending ? "Registering…" : "Register model"}
        </Button>
      </div>
    </form>
  );
}
