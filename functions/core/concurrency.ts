/**
 * Bounded concurrency for a night's independent queries: Athena accounts have a limit of
 * concurrently running DML queries (and StartQueryExecution is throttled), and DuckDB shares
 * a few cores, so a night runs at most `limit` queries at once instead of all of them.
 */

/** How many of a night's independent queries (or state builds) run at once: Athena's per-account limit is shared. */
export const QUERY_CONCURRENCY = 4;

/**
 * Maps `items` through async `fn`, running at most `limit` calls at a time; results keep the
 * order of `items`. The first rejection rejects the whole call (as `Promise.all` does) and no
 * new item starts after it; calls already running are left to finish on their own.
 *
 * @param limit an integer >= 1
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be an integer >= 1, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
