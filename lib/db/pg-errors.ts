/**
 * What a failed statement's error says about Postgres's answer, however
 * Prisma's driver adapter wraps it: its SQLSTATE, and the violations callers
 * turn into their own answers (a taken name, a tenant that is gone).
 */

/** Postgres's SQLSTATE of a failed statement, as Prisma's driver adapter reports it (null: not a database answer). */
export function sqlStateOf(err: unknown): string | null {
  const e = err as {
    code?: string;
    meta?: { code?: string; driverAdapterError?: { cause?: { originalCode?: string; code?: string } } };
    cause?: { code?: string; originalCode?: string };
    message?: string;
  };
  const candidates = [e?.meta?.driverAdapterError?.cause?.originalCode, e?.meta?.driverAdapterError?.cause?.code, e?.cause?.originalCode, e?.cause?.code, e?.meta?.code];
  const found = candidates.find((c) => typeof c === "string" && /^[0-9A-Z]{5}$/.test(c));
  return found ?? /Code: `([0-9A-Z]{5})`/.exec(e?.message ?? "")?.[1] ?? null;
}

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === "P2003" || sqlStateOf(err) === "23503" || /foreign key/i.test(e?.message ?? "");
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === "P2002" || sqlStateOf(err) === "23505" || /unique constraint/i.test(e?.message ?? "");
}
