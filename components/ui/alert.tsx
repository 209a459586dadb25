import type { ReactNode } from "react";
import { cx } from "./cx";
import { AlertIcon, CheckIcon, ShieldIcon } from "./icons";

const TONES = {
  error: "bg-red-50 text-red-700 ring-red-200",
  warning: "bg-amber-50 text-amber-900 ring-amber-200",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  info: "bg-brand-50 text-brand-800 ring-brand-200",
} as const;

/** A message box; `error` ones are announced (role=alert). */
export function Alert({ tone = "error", children, className }: { tone?: keyof typeof TONES; children: ReactNode; className?: string }) {
  const Icon = tone === "success" ? CheckIcon : tone === "info" ? ShieldIcon : AlertIcon;
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={cx("flex gap-2.5 rounded-md px-3 py-2.5 text-sm ring-1 ring-inset", TONES[tone], className)}
    >
      <Icon className="size-5 shrink-0" />
      <div className="min-w-0">{children}</div>
    </div>
  );
}
