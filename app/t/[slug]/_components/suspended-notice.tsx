import { AlertIcon } from "@/components/ui/icons";

export function SuspendedNotice() {
  return (
    <div role="alert" className="flex gap-3 rounded-xl bg-amber-50 p-5 ring-1 ring-inset ring-amber-200">
      <AlertIcon className="size-5 shrink-0 text-amber-600" />
      <div>
        <h1 className="text-sm font-semibold text-amber-900">This tenant is suspended</h1>
        <p className="mt-1 text-sm text-amber-800">
          The gateway refuses its API keys and its console is unavailable until a platform
          operator lifts the suspension. Contact support for details.
        </p>
      </div>
    </div>
  );
}
