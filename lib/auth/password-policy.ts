import { COMMON_PASSWORDS, SEQUENCES } from "./common-passwords";

export const PASSWORD_MIN_LENGTH = 12;
/** Long passphrases are welcome; the cap only bounds the hashing work. */
export const PASSWORD_MAX_LENGTH = 256;

/** Letters and digits of `text`, lower-cased, with common substitutions undone (p@ssw0rd → password). */
function skeleton(text: string): string {
  return text
    .toLowerCase()
    .replace(/@/g, "a")
    .replace(/0/g, "o")
    .replace(/[1!|]/g, "i")
    .replace(/3/g, "e")
    .replace(/\$/g, "s")
    .replace(/[^a-z0-9]/g, "");
}

/** The password with digits and symbols stripped from both ends ("!!Summer2024" → "summer"). */
function core(text: string): string {
  return text.toLowerCase().replace(/^[^a-z]+|[^a-z]+$/g, "");
}

function isSequenceOrRepeat(text: string): boolean {
  const lower = text.toLowerCase();
  if (/^(.)\1+$/.test(lower)) return true;
  // A short block repeated ("abcabcabcabc", "12341234...").
  if (/^(.{1,4})\1{2,}$/.test(lower)) return true;
  return SEQUENCES.some((run) => {
    for (let len = Math.min(lower.length, run.length); len >= 8; len--) {
      for (let i = 0; i + len <= run.length; i++) {
        if (lower === run.slice(i, i + len).repeat(Math.ceil(lower.length / len)).slice(0, lower.length)) return true;
      }
    }
    return false;
  });
}

/**
 * Why `password` is not acceptable for the account of `email` (and `name`),
 * or null. Messages are shown to the user as is.
 */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters`;
  if (password.trim().length === 0) return "The password cannot be only spaces";
  const lower = password.toLowerCase();
  const candidates = [lower, skeleton(password), core(password), skeleton(core(password))];
  if (candidates.some((c) => COMMON_PASSWORDS.has(c))) {
    return "This password is too common (it appears in lists of breached passwords). Choose another.";
  }
  if (isSequenceOrRepeat(password)) return "Avoid repeated characters and keyboard or alphabet sequences";
  const local = context.email?.split("@")[0]?.toLowerCase() ?? "";
  if (local.length >= 3 && (lower.includes(local) || skeleton(password).includes(skeleton(local)))) {
    return "Don't use your email address in your password";
  }
  const nameParts = (context.name ?? "").toLowerCase().split(/\s+/).filter((p) => p.length >= 4);
  if (nameParts.some((p) => lower.includes(p))) return "Don't use your name in your password";
  if (new Set(lower).size < 4) return "Use a greater variety of characters";
  return null;
}
