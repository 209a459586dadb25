/**
 * The bridge between apiFetch (plain functions) and the step-up dialog (a
 * component mounted once, in Providers). apiFetch asks; the dialog answers
 * true once the user verified, false when they cancelled. Requests that need
 * a step-up at the same time share one dialog.
 */
export type StepUpPrompt =
  | { kind: "verify"; message: string; resolve: (verified: boolean) => void }
  | { kind: "enroll"; message: string; resolve: () => void };

type Host = (prompt: StepUpPrompt) => void;

let host: Host | null = null;
let pendingVerify: Promise<boolean> | null = null;

/** Called by the dialog host on mount; returns the unregister function. */
export function registerStepUpHost(h: Host): () => void {
  host = h;
  return () => {
    if (host === h) host = null;
  };
}

export function hasStepUpHost(): boolean {
  return host !== null;
}

/** Opens the step-up dialog (once for concurrent callers); resolves true after a successful verification. */
export function requestStepUp(message: string): Promise<boolean> {
  if (!host) return Promise.resolve(false);
  pendingVerify ??= new Promise<boolean>((resolve) => {
    host!({
      kind: "verify",
      message,
      resolve: (verified) => {
        pendingVerify = null;
        resolve(verified);
      },
    });
  });
  return pendingVerify;
}

/** Tells the user that the action needs MFA enrolled first, with a way to set it up. */
export function announceEnrollmentRequired(message: string): Promise<void> {
  const h = host;
  if (!h) return Promise.resolve();
  return new Promise<void>((resolve) => h({ kind: "enroll", message, resolve }));
}
