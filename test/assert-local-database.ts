/** Tests drop and rewrite their database: refuse anything but this machine. */
export function assertLocalDatabase(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`refusing to run tests against non-local ${url.split(":")[0]} host ${host}`);
  }
}
