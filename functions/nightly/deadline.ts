/**
 * The deadline of one `nightly` invocation: Lambda's remaining time minus a margin. At the deadline
 * the night's running Athena queries are stopped and the night fails, recording run.json — instead
 * of Lambda killing the invocation while its queries run on, and a retry racing them.
 */
import type { Context } from 'aws-lambda';

/**
 * How long before Lambda's timeout the night's deadline falls: enough to stop the running queries
 * (one StopQueryExecution each) and write run.json, with room for S3's own retries.
 */
export const NIGHT_DEADLINE_MARGIN_MS = 60_000;

/** The invocation's deadline: aborted `margin` ms before Lambda's timeout (none without a context to ask). */
export function invocationDeadline(
  context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
  marginMs: number,
): { signal: AbortSignal; inMs: number } | undefined {
  if (!context || typeof context.getRemainingTimeInMillis !== 'function') return undefined;
  const inMs = Math.max(0, context.getRemainingTimeInMillis() - marginMs);
  // AbortSignal.timeout's timer does not keep the process alive, and fires at most once.
  return { signal: AbortSignal.timeout(inMs), inMs };
}
