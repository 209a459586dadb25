/**
 * In-flight upstream requests per tenant and model, in this process. A
 * tenant at its model's `max_concurrency` is turned away (503) instead of
 * queueing for, and eventually holding, every upstream connection.
 */
export class ConcurrencyLimiter {
  private readonly inFlight = new Map<string, number>();

  /** Takes a slot of `key` (true), or refuses when `key` already has `max` requests in flight (false). */
  tryAcquire(key: string, max: number): boolean {
    const current = this.inFlight.get(key) ?? 0;
    if (current >= max) return false;
    this.inFlight.set(key, current + 1);
    return true;
  }

  /** Gives back a slot taken by `tryAcquire`; call it exactly once per slot. */
  release(key: string): void {
    const n = (this.inFlight.get(key) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(key);
    else this.inFlight.set(key, n);
  }

  current(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }
}
