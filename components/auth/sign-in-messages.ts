/** The words for a sign-in error code (next-auth's and ours). */
export function signInMessage(error: string, opts: { providerName?: string; retryAfterSeconds?: number } = {}): string {
  const provider = opts.providerName ?? "your identity provider";
  switch (error) {
    case "CredentialsSignin":
      // One message for every credential failure: it must not tell whether the email exists.
      return "Incorrect email or password.";
    case "RateLimited": {
      if (!opts.retryAfterSeconds) return "Too many attempts. Try again in a few minutes.";
      const minutes = Math.max(1, Math.ceil(opts.retryAfterSeconds / 60));
      return `Too many attempts, try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
    }
    case "MfaInvalid":
      return "That code is not valid. Check your authenticator app and try again.";
    case "MfaReused":
      return "This code was already used. Wait for the next code from your authenticator app.";
    case "OidcAccountExists":
      return `An account with this email already exists. Sign in with your password, then link ${provider} under Account → Security.`;
    case "OidcEmailUnverified":
      return `${provider} did not confirm your email address, so no account can be created from it. Ask your administrator.`;
    case "OAuthSignin":
    case "OAuthCallback":
    case "OAuthCreateAccount":
    case "Callback":
    case "AccessDenied":
      return `Signing in with ${provider} did not work. Try again, or sign in with your password.`;
    case "SessionRequired":
      return "Sign in to continue.";
    default:
      return "Sign-in is unavailable right now. Try again in a moment.";
  }
}
