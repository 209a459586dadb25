/**
 * In-flight upstream requests per tenant and model, in this process. A
 * tenant at its model's `max_concurrency` is turned away (503) instead of
 * queueing for, and eventually holding, every upstream connection.
 */
export class ConcurrencyLimiter {
  private readonly inFlight = new Map<string, number>();

  /** A release function, or null when `key` already has `max` requests in flight. */
  tryAcquire(key: string, max: number): (() => void) | null {
    const current = this.inFlight.get(key) ?? 0;
    if (current >= max) return null;
    this.inFlight.set(key, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.inFlight.get(key) ?? 1) - 1;
      if (n <= 0) this.inFlight.delete(key);
      else this.inFlight.set(key, n);
    };
  }

  current(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }
}
