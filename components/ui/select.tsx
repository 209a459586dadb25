import { useId, type ComponentProps, type ReactNode } from "react";
import { cx } from "./cx";

type SelectProps = ComponentProps<"select"> & {
  /** Visible label; omit and pass `aria-label` for a select inside a table row. */
  label?: string;
  error?: string;
  hint?: ReactNode;
};

export function Select({ label, error, hint, id, className, children, ...rest }: SelectProps) {
  const generated = useId();
  const selectId = id ?? generated;
  return (
    <div className={className}>
      {label && (
        <label htmlFor={selectId} className="mb-1.5 block text-sm font-medium text-zinc-900">
          {label}
        </label>
      )}
      <select
        id={selectId}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${selectId}-error` : hint ? `${selectId}-hint` : undefined}
        className={cx(
          "block h-9 w-full rounded-md border-0 bg-white py-1.5 pl-3 pr-8 text-sm text-zinc-900 shadow-sm ring-1 ring-inset focus:outline-none focus:ring-2 disabled:cursor-not-allowed disabled:bg-zinc-50 disabled:text-zinc-500",
          error ? "ring-red-400 focus:ring-red-500" : "ring-zinc-300 focus:ring-brand-600",
        )}
        {...rest}
      >
        {children}
      </select>
      {error ? (
        <p id={`${selectId}-error`} className="mt-1.5 text-sm text-red-600" role="alert">
          {error}
        </p>
      ) : hint ? (
        <p id={`${selectId}-hint`} className="mt-1.5 text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
