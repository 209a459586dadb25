import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { Alert } from "@/components/ui/alert";
import { oidcSignInOption } from "@/lib/auth/auth-options";
import { listIdentities } from "@/lib/auth/identities";
import { isSafeReturnPath, requireSession } from "@/lib/auth/session";
import { stepUpWindowSeconds } from "@/lib/auth/step-up";
import { listActiveSessions } from "@/lib/auth/user-sessions";
import { getDb } from "@/lib/db/client";
import { getMfaStatus } from "@/lib/mfa/mfa-status";
import { signInMessage } from "@/components/auth/sign-in-messages";
import { MfaCard } from "./_components/mfa-card";
import { PasswordCard } from "./_components/password-card";
import { SessionsCard } from "./_components/sessions-card";
import { SsoCard } from "./_components/sso-card";

export const metadata: Metadata = { title: "Security" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SecurityPage({ searchParams }: Props) {
  const params = await searchParams;
  const { user, session } = await requireSession("/account/security");
  const next = typeof params.next === "string" && isSafeReturnPath(params.next) ? params.next : null;
  const [mfa, identities, sessions, account] = await Promise.all([
    getMfaStatus(user.id),
    listIdentities(user.id),
    listActiveSessions(user.id),
    getDb().user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } }),
  ]);
  const oidc = oidcSignInOption();
  const linkError = typeof params.link_error === "string" ? params.link_error : null;

  return (
    <div className="space-y-8">
      <PageHeader title="Security" description={`Sign-in methods and two-factor authentication for ${user.email}.`} />
      {params.linked === "1" && oidc && <Alert tone="success">Your account is now linked to {oidc.name}. You can sign in with it.</Alert>}
      {linkError && (
        <Alert>
          {linkError === "OidcIdentityInUse"
            ? `That ${oidc?.name ?? "single sign-on"} account is already linked to another ModelGate account.`
            : signInMessage(linkError, { providerName: oidc?.name })}
        </Alert>
      )}
      <MfaCard
        enabled={mfa.enabled}
        enabledAt={mfa.enabledAt?.toISOString() ?? null}
        recoveryCodesLeft={mfa.recoveryCodesLeft}
        next={next}
        stepUpMinutes={Math.round(stepUpWindowSeconds() / 60)}
      />
      <PasswordCard hasPassword={Boolean(account.passwordHash)} />
      {oidc && (
        <SsoCard
          provider={oidc}
          hasPassword={Boolean(account.passwordHash)}
          identities={identities.map((i) => ({ id: i.id, email: i.email, createdAt: i.createdAt.toISOString() }))}
        />
      )}
      <SessionsCard
        sessions={sessions.map((s) => ({
          id: s.id,
          current: s.id === session.id,
          authMethod: s.authMethod,
          lastSeenAt: s.lastSeenAt.toISOString(),
          ip: s.ip,
          userAgent: s.userAgent,
        }))}
      />
    </div>
  );
}
