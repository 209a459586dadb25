"use client";

import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { FieldErrors } from "@/lib/errors/app-error";
import type { CredentialInput } from "@/lib/models/model-schemas";
import { fieldError } from "@/components/console/api-fetch";

export type CredentialDraft = { kind: "none" | "keep" | "bearer" | "header"; header: string; secret: string };

export const emptyCredential = (keep = false): CredentialDraft => ({ kind: keep ? "keep" : "none", header: "", secret: "" });

/** The draft as API input: undefined leaves the stored credential as it is, null removes it. */
export function credentialInputOf(draft: CredentialDraft, hadOne: boolean): CredentialInput | null | undefined {
  if (draft.kind === "keep") return undefined;
  if (draft.kind === "none") return hadOne ? null : undefined;
  if (draft.kind === "bearer") return { kind: "bearer", token: draft.secret };
  return { kind: "header", header: draft.header, value: draft.secret };
}

type Props = { value: CredentialDraft; onChange: (d: CredentialDraft) => void; fields: FieldErrors; current?: string | null };

/** Backend credential: write-only. The stored secret is never shown; it can be kept, replaced or removed. */
export function CredentialFields({ value, onChange, fields, current }: Props) {
  const set = (patch: Partial<CredentialDraft>) => onChange({ ...value, ...patch });
  return (
    <div className="space-y-4 rounded-lg bg-zinc-50 p-4 ring-1 ring-zinc-200 ring-inset">
      <Select
        label="Backend credential"
        name="credentialKind"
        value={value.kind}
        onChange={(e) => set({ kind: e.target.value as CredentialDraft["kind"] })}
        error={fieldError(fields, "credential.kind")}
        hint="Sent by the gateway to the backend. Stored encrypted; never shown again. Clients' own credentials are never forwarded."
      >
        {current !== undefined && current !== null && <option value="keep">Keep the current one ({current})</option>}
        <option value="none">{current ? "Remove it" : "None"}</option>
        <option value="bearer">Bearer token (Authorization header)</option>
        <option value="header">Custom header</option>
      </Select>
      {value.kind === "header" && (
        <Input
          label="Header name"
          name="credentialHeader"
          value={value.header}
          onChange={(e) => set({ header: e.target.value })}
          error={fieldError(fields, "credential.header")}
          placeholder="X-Api-Key"
          autoComplete="off"
          spellCheck={false}
        />
      )}
      {(value.kind === "bearer" || value.kind === "header") && (
        <Input
          label={value.kind === "bearer" ? "Token" : "Header value"}
          name="credentialSecret"
          type="password"
          value={value.secret}
          onChange={(e) => set({ secret: e.target.value })}
          error={fieldError(fields, value.kind === "bearer" ? "credential.token" : "credential.value")}
          autoComplete="new-password"
          spellCheck={false}
        />
      )}
    </div>
  );
}
