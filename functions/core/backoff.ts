/**
 * Retry delays: capped exponential backoff with "full jitter" — a uniform draw from
 * `[0, min(cap, base · 2^attempt)]`. Full jitter spreads the retries of many concurrent clients
 * (a night's parallel queries all polling Athena) instead of letting them retry in lock-step;
 * see "Exponential Backoff And Jitter", AWS Architecture Blog (Marc Brooker, 2015),
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/.
 */

export interface BackoffOptions {
  /** Delay ceiling of the first attempt, ms (> 0). */
  readonly initialMs: number;
  /** Cap on any delay, ms (>= initialMs). */
  readonly maxMs: number;
}

/**
 * The delay before retry/poll number `attempt` (0-based).
 * @param random a uniform draw in [0, 1); injectable for tests
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeiling(attempt, options));
}

/** The upper bound of {@link backoffDelay}: `min(maxMs, initialMs · 2^attempt)`. */
export function backoffCeiling(attempt: number, { initialMs, maxMs }: BackoffOptions): number {
  if (!(initialMs > 0) || !(maxMs >= initialMs)) {
    throw new RangeError(`backoff needs 0 < initialMs <= maxMs, got ${initialMs} and ${maxMs}`);
  }
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be an integer >= 0, got ${attempt}`);
  // 2^attempt overflows to Infinity for large attempts; min() still caps it.
  return Math.min(maxMs, initialMs * 2 ** attempt);
}
