"use client";

import { useState, type FormEvent } from "react";
import { ApiError, apiFetch } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import type { Role } from "@/lib/db/generated/enums";
import type { FieldErrors } from "@/lib/errors/app-error";
import { ROLES } from "./members-table";

const ROLE_HINTS: Record<Role, string> = {
  owner: "Everything, including deleting the tenant and managing owners.",
  admin: "Manage members, models, keys and settings; read the audit log.",
  developer: "Create and manage API keys; read models and usage.",
  viewer: "Read-only access to the console.",
};

type Created = { email: string; url: string; expiresAt: string };

/**
 * Invite by email and role. Creating an invitation is a sensitive action: the
 * step-up dialog may open on top of this one, and the form stays filled in
 * while it does. The link is shown once.
 */
export function InviteDialog({ slug, open, onClose, canInviteOwners, onInvited }: {
  slug: string;
  open: boolean;
  onClose: () => void;
  canInviteOwners: boolean;
  onInvited: () => void;
}) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("developer");
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [copied, setCopied] = useState(false);

  function close() {
    setEmail("");
    setRole("developer");
    setFields({});
    setError(null);
    setCreated(null);
    setCopied(false);
    onClose();
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setFields({});
    setError(null);
    try {
      const invitation = await apiFetch<Created>(`/api/v1/tenants/${slug}/invitations`, { method: "POST", body: { email, role } });
      setCreated(invitation);
      onInvited();
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) setFields(err.fields);
      else setError(err instanceof Error ? err.message : "Something went wrong. Try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      busy={pending}
      size="md"
      title={created ? "Invitation created" : "Invite a member"}
      description={
        created
          ? `Send this link to ${created.email}. It works once and expires in 7 days. It is shown only now.`
          : "They get a link to join this tenant with the role you choose."
      }
    >
      {created ? (
        <div className="space-y-5">
          <div className="flex gap-2">
            <input
              readOnly
              aria-label="Invitation link"
              data-testid="invitation-link"
              value={created.url}
              onFocus={(e) => e.currentTarget.select()}
              className="h-9 min-w-0 flex-1 rounded-md bg-zinc-50 px-3 font-mono text-xs text-zinc-800 ring-1 ring-inset ring-zinc-300"
            />
            <Button
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard?.writeText(created.url).catch(() => {});
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy link"}
            </Button>
          </div>
          <div className="flex justify-end">
            <Button onClick={close}>Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} className="space-y-5" noValidate>
          {error && <Alert>{error}</Alert>}
          <Input
            label="Email"
            name="email"
            type="email"
            autoComplete="off"
            placeholder="colleague@company.com"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fields.email}
            autoFocus
          />
          <Select label="Role" name="role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={fields.role} hint={ROLE_HINTS[role]}>
            {ROLES.filter((r) => canInviteOwners || r !== "owner").map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </Select>
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={close} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" loading={pending} disabled={!email.trim()}>
              Create invitation
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
