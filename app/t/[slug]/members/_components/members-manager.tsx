"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { PlusIcon } from "@/components/ui/icons";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import type { Member } from "@/lib/console/schemas";
import type { Role } from "@/lib/db/generated/enums";
import type { InvitationView } from "@/lib/members/member-schemas";
import { InvitationsTable } from "./invitations-table";
import { InviteDialog } from "./invite-dialog";
import { MembersTable } from "./members-table";

type Props = {
  slug: string;
  members: Member[];
  invitations: InvitationView[];
  currentUserId: string;
  /** members.write: the server refuses the rest, so the UI does not offer it. */
  canManage: boolean;
  canManageOwners: boolean;
};

export function MembersManager({ slug, members, invitations, currentUserId, canManage, canManageOwners }: Props) {
  const router = useRouter();
  const [inviteOpen, setInviteOpen] = useState(false);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  // The role just chosen, shown while it is saved (and after, until the refreshed list agrees).
  const [chosenRoles, setChosenRoles] = useState<Record<string, Role>>({});
  const shown = members.map((m) => (chosenRoles[m.id] ? { ...m, role: chosenRoles[m.id]! } : m));

  async function act(id: string, fn: () => Promise<void>, success: string) {
    setBusyId(id);
    setMessage(null);
    try {
      await fn();
      setMessage({ tone: "success", text: success });
      router.refresh();
    } catch (err) {
      setMessage({ tone: "error", text: err instanceof Error ? err.message : "Something went wrong. Try again." });
    } finally {
      setBusyId(null);
    }
  }

  const manage = canManage
    ? {
        canManageOwners,
        busyId,
        onRoleChange: (m: Member, role: Role) => {
          setChosenRoles((c) => ({ ...c, [m.id]: role }));
          return act(
            m.id,
            async () => {
              try {
                await apiFetch(`/api/v1/tenants/${slug}/members/${m.id}`, { method: "PATCH", body: { role } });
              } catch (err) {
                setChosenRoles(({ [m.id]: _discarded, ...rest }) => rest);
                throw err;
              }
            },
            `${m.user.email} is now ${ROLE_LABELS[role].toLowerCase()}.`,
          );
        },
        onRemove: (m: Member) => setRemoving(m),
      }
    : undefined;

  return (
    <div className="space-y-6">
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <Card aria-labelledby="members-title">
        <CardHeader
          title={<span id="members-title">People</span>}
          description={canManage ? "Change roles or remove people. Role changes need a fresh two-factor check." : "Everyone with access to this tenant."}
          actions={
            canManage ? (
              <Button size="sm" onClick={() => setInviteOpen(true)}>
                <PlusIcon className="size-4" />
                Invite member
              </Button>
            ) : null
          }
        />
        <MembersTable members={shown} currentUserId={currentUserId} manage={manage} />
      </Card>
      {canManage && (
        <Card aria-labelledby="invitations-title">
          <CardHeader title={<span id="invitations-title">Pending invitations</span>} description="Links not used yet. Revoking one makes its link stop working." />
          <InvitationsTable
            invitations={invitations}
            busyId={busyId}
            onRevoke={(i) => act(i.id, () => apiFetch(`/api/v1/tenants/${slug}/invitations/${i.id}`, { method: "DELETE" }), `Invitation for ${i.email} revoked.`)}
          />
        </Card>
      )}
      {canManage && (
        <InviteDialog slug={slug} open={inviteOpen} onClose={() => setInviteOpen(false)} canInviteOwners={canManageOwners} onInvited={() => router.refresh()} />
      )}
      <Dialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title="Remove member?"
        description={removing ? `${removing.user.email} loses access to this tenant at once. You can invite them again later.` : undefined}
        footer={
          <>
            <Button variant="secondary" onClick={() => setRemoving(null)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              onClick={() => {
                const m = removing!;
                setRemoving(null);
                void act(m.id, () => apiFetch(`/api/v1/tenants/${slug}/members/${m.id}`, { method: "DELETE" }), `${m.user.email} was removed.`);
              }}
            >
              Remove
            </Button>
          </>
        }
      />
    </div>
  );
}
