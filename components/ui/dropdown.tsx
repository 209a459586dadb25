"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { cx } from "./cx";

type DropdownProps = {
  /** Renders the trigger button's content; `open` for styling. */
  trigger: (open: boolean) => ReactNode;
  /** Accessible name of the trigger. */
  label: string;
  align?: "left" | "right";
  triggerClassName?: string;
  panelClassName?: string;
  children: (close: () => void) => ReactNode;
};

/** A button that opens a panel; closes on outside click, Escape, or `close()`. */
export function Dropdown({ trigger, label, align = "left", triggerClassName, panelClassName, children }: DropdownProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className={triggerClassName}
      >
        {trigger(open)}
      </button>
      {open && (
        <div
          role="menu"
          className={cx(
            "absolute z-30 mt-2 min-w-56 origin-top rounded-lg bg-white p-1 shadow-lg ring-1 ring-zinc-200",
            align === "right" ? "right-0" : "left-0",
            panelClassName,
          )}
        >
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}

export const menuItemClasses =
  "flex w-full items-center gap-2 rounded-md px-2.5 py-2 text-left text-sm text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:bg-zinc-100 focus-visible:outline-none";
