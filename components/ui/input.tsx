import { useId, type ComponentProps, type ReactNode } from "react";
import { cx } from "./cx";

type InputProps = ComponentProps<"input"> & {
  label: string;
  /** Shown under the field in red; marks the field invalid for assistive tech. */
  error?: string;
  hint?: ReactNode;
  /** Text fixed before the value, e.g. a URL prefix. */
  prefix?: string;
};

export function Input({ label, error, hint, prefix, id, className, ...rest }: InputProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const describedBy = error ? `${inputId}-error` : hint ? `${inputId}-hint` : undefined;
  return (
    <div className={className}>
      <label htmlFor={inputId} className="block text-sm font-medium text-zinc-900">
        {label}
      </label>
      <div
        className={cx(
          "mt-1.5 flex rounded-md bg-white shadow-sm ring-1 ring-inset focus-within:ring-2",
          error ? "ring-red-400 focus-within:ring-red-500" : "ring-zinc-300 focus-within:ring-brand-600",
        )}
      >
        {prefix && (
          <span className="flex select-none items-center pl-3 text-sm text-zinc-500">{prefix}</span>
        )}
        <input
          id={inputId}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={cx(
            "block h-9 w-full min-w-0 flex-1 rounded-md border-0 bg-transparent py-1.5 text-sm text-zinc-900",
            "placeholder:text-zinc-400 focus:outline-none",
            prefix ? "pl-0.5 pr-3" : "px-3",
          )}
          {...rest}
        />
      </div>
      {error ? (
        <p id={`${inputId}-error`} className="mt-1.5 text-sm text-red-600" role="alert">
          {error}
        </p>
      ) : hint ? (
        <p id={`${inputId}-hint`} className="mt-1.5 text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
