"use client";

import { useState, type FormEvent } from "react";
import { ApiError, fieldError } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ModelProtocol, ModelView, ModelVisibility, UpdateModelInput } from "@/lib/models/model-schemas";
import { PROTOCOL_OPTIONS } from "./model-format";
import { useUpdateModel } from "./models-api";

type Props = { slug: string; model: ModelView; onSaved: (text: string) => void };

/** Name, description, enabled, protocol and visibility. Protocol and visibility need a step-up (asked on save). */
export function ModelSettingsCard({ slug, model, onSaved }: Props) {
  const update = useUpdateModel(slug);
  const [name, setName] = useState(model.name);
  const [description, setDescription] = useState(model.description);
  const [enabled, setEnabled] = useState(model.enabled);
  const [protocol, setProtocol] = useState<ModelProtocol>(model.protocol);
  const [visibility, setVisibility] = useState<ModelVisibility>(model.visibility);
  const fields = update.error instanceof ApiError ? update.error.fields : {};
  const formError = update.error && Object.keys(fields).length === 0 ? update.error.message : null;

  const input: UpdateModelInput = {
    ...(name.trim() !== model.name && { name: name.trim() }),
    ...(description.trim() !== model.description && { description: description.trim() }),
    ...(enabled !== model.enabled && { enabled }),
    ...(protocol !== model.protocol && { protocol }),
    ...(visibility !== model.visibility && { visibility }),
  };
  const dirty = Object.keys(input).length > 0;
  const sensitive = input.protocol !== undefined || input.visibility !== undefined;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!dirty) return;
    update.mutate({ id: model.id, input }, { onSuccess: (m) => onSaved(`Settings of “${m.name}” saved.`) });
  }

  return (
    <Card>
      <CardHeader title="Settings" description="How clients name the model and whether it serves requests." />
      <form onSubmit={submit} noValidate className="space-y-5 px-5 py-5" aria-label="Model settings">
        {formError && <Alert>{formError}</Alert>}
        <div className="grid gap-5 sm:grid-cols-2">
          <Input label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(fields, "name")} autoComplete="off" spellCheck={false} />
          <Input label="Description" name="description" value={description} onChange={(e) => setDescription(e.target.value)} error={fieldError(fields, "description")} maxLength={500} />
          <Select label="Protocol" name="protocol" value={protocol} onChange={(e) => setProtocol(e.target.value as ModelProtocol)} error={fieldError(fields, "protocol")}>
            {PROTOCOL_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
          <Select
            label="Visibility"
            name="visibility"
            value={visibility}
            onChange={(e) => setVisibility(e.target.value as ModelVisibility)}
            error={fieldError(fields, "visibility")}
            hint="Shared: platform operators may grant it to other tenants, who call it read-only."
          >
            <option value="private">Private to this tenant</option>
            <option value="shared">Shared (platform may grant it)</option>
          </Select>
        </div>
        <label className="flex items-center gap-2.5 text-sm text-zinc-900">
          <input type="checkbox" name="enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} className="size-4 rounded border-zinc-300 accent-brand-600" />
          Enabled — the gateway routes requests to it
        </label>
        <div className="flex items-center justify-end gap-3">
          {sensitive && <p className="text-xs text-zinc-500">Protocol and visibility changes ask for your authenticator code.</p>}
          <Button type="submit" disabled={!dirty} loading={update.isPending}>
            Save settings
          </Button>
        </div>
      </form>
    </Card>
  );
}
