import type { Metadata } from "next";
import Link from "next/link";
import { RoleBadge } from "@/components/console/role-badge";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Logo } from "@/components/ui/icons";
import { getSessionUser } from "@/lib/auth/session";
import { formatDate } from "@/lib/console/format";
import { findInvitationByToken } from "@/lib/members/accept-invitation";
import { AcceptInvitation } from "./_components/accept-invitation";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

type Props = { params: Promise<{ token: string }> };

const UNAVAILABLE = {
  expired: { title: "This invitation has expired", body: "Invitations are valid for 7 days. Ask whoever invited you for a new one." },
  accepted: { title: "This invitation has already been used", body: "Each invitation link works once. If it was you, sign in to open the tenant." },
  revoked: { title: "This invitation was revoked", body: "Ask whoever invited you for a new invitation." },
} as const;

export default async function InvitePage({ params }: Props) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([findInvitationByToken(token), getSessionUser()]);
  const here = `/invite/${token}`;

  return (
    <main className="relative flex min-h-dvh flex-col items-center justify-center px-6 py-12">
      <div aria-hidden="true" className="pointer-events-none absolute inset-x-0 top-0 -z-10 h-80 bg-gradient-to-b from-brand-100/70 to-transparent" />
      <div className="w-full max-w-md">
        <Logo />
        <div className="mt-8 rounded-xl bg-white p-6 shadow-card ring-1 ring-zinc-200" data-testid="invitation">
          {!invitation ? (
            <>
              <h1 className="text-lg font-semibold text-zinc-900">This invitation link is not valid</h1>
              <p className="mt-2 text-sm text-zinc-500">Check that you copied the whole link, or ask for a new invitation.</p>
            </>
          ) : invitation.status !== "pending" ? (
            <>
              <h1 className="text-lg font-semibold text-zinc-900">{UNAVAILABLE[invitation.status].title}</h1>
              <p className="mt-2 text-sm text-zinc-500">{UNAVAILABLE[invitation.status].body}</p>
            </>
          ) : (
            <>
              <p className="text-sm font-medium text-brand-600">You are invited</p>
              <h1 className="mt-1 text-lg font-semibold text-zinc-900">Join {invitation.tenant.name} on ModelGate</h1>
              <dl className="mt-4 space-y-2 text-sm">
                <div className="flex justify-between gap-4">
                  <dt className="text-zinc-500">Role</dt>
                  <dd>
                    <RoleBadge role={invitation.role} />
                  </dd>
                </div>
                <div className="flex justify-between gap-4">
                  <dt className="text-zinc-500">For</dt>
                  <dd className="font-medium text-zinc-900">{invitation.email}</dd>
                </div>
                {invitation.invitedBy && (
                  <div className="flex justify-between gap-4">
                    <dt className="text-zinc-500">Invited by</dt>
                    <dd className="text-zinc-900">{invitation.invitedBy.name || invitation.invitedBy.email}</dd>
                  </div>
                )}
                <div className="flex justify-between gap-4">
                  <dt className="text-zinc-500">Valid until</dt>
                  <dd className="text-zinc-900">{formatDate(invitation.expiresAt)}</dd>
                </div>
              </dl>
              <div className="mt-6">
                {user ? (
                  user.email === invitation.email ? (
                    <AcceptInvitation token={token} tenantName={invitation.tenant.name} />
                  ) : (
                    <Alert tone="warning">
                      You are signed in as {user.email}. This invitation is for {invitation.email}: sign out and sign in
                      with that account to accept it.
                    </Alert>
                  )
                ) : (
                  <div className="space-y-3">
                    <ButtonLink href={`/signup?callbackUrl=${encodeURIComponent(here)}&email=${encodeURIComponent(invitation.email)}`} className="w-full">
                      Create an account to accept
                    </ButtonLink>
                    <p className="text-center text-sm text-zinc-500">
                      Already have an account?{" "}
                      <Link href={`/login?callbackUrl=${encodeURIComponent(here)}`} className="font-medium text-brand-600 hover:text-brand-500">
                        Sign in
                      </Link>
                    </p>
                  </div>
                )}
              </div>
            </>
          )}
        </div>
      </div>
    </main>
  );
}
