import type { ReactNode } from "react";

/** The button row at the bottom of a dialog's form (inside it, so submit buttons submit it). */
export function DialogButtons({ children }: { children: ReactNode }) {
  return <div className="mt-6 flex flex-wrap justify-end gap-3">{children}</div>;
}
