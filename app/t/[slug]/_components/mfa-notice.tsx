import Link from "next/link";
import { ShieldIcon } from "@/components/ui/icons";

/** For owners and admins without MFA: sensitive changes are blocked until they enrol. */
export function MfaNotice({ returnTo }: { returnTo: string }) {
  return (
    <div role="status" data-testid="mfa-notice" className="mb-6 flex flex-wrap items-center gap-3 rounded-xl bg-amber-50 px-4 py-3 ring-1 ring-inset ring-amber-200">
      <ShieldIcon className="size-5 shrink-0 text-amber-600" />
      <p className="min-w-0 flex-1 text-sm text-amber-900">
        Set up two-factor authentication to change keys, models, members and other sensitive settings.
      </p>
      <Link
        href={`/account/security?next=${encodeURIComponent(returnTo)}`}
        className="whitespace-nowrap text-sm font-semibold text-amber-900 underline-offset-2 hover:underline"
      >
        Set up now →
      </Link>
    </div>
  );
}
