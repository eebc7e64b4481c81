/**
 * Reading AWS SDK v3 errors without importing each service's exception classes: every service
 * exception carries `name` (the error code, e.g. `ThrottlingException`) and `$metadata.httpStatusCode`;
 * network failures are plain Node errors with a `code`. The adapters use these to decide what
 * to retry and what to translate into the project's own errors.
 */

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The error code (`NoSuchKey`, `ThrottlingException`, …) or '' when `err` is not an error. */
export function errorName(err: unknown): string {
  const e = err as SdkErrorShape | null;
  return e && typeof e === 'object' && typeof e.name === 'string' ? e.name : '';
}

/** The HTTP status of the failed response, or undefined when there was none (network error). */
export function httpStatus(err: unknown): number | undefined {
  const status = (err as SdkErrorShape | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** `Name: message` for messages, without a stack. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message || err.name;
  return String(err);
}

// Error codes AWS services use for "slow down" (the SDK's own list in @smithy/service-error-classification
// is the model; Athena answers TooManyRequestsException, most JSON services ThrottlingException).
const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
]);

const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);

/** True when the request was throttled. */
export function isThrottling(err: unknown): boolean {
  return THROTTLING.has(errorName(err)) || httpStatus(err) === 429;
}

/**
 * True when repeating the same request may succeed: throttling, a 5xx, a request timeout or a
 * dropped connection. Client errors (4xx other than throttling) are not: repeating them only
 * repeats the mistake.
 */
export function isTransient(err: unknown): boolean {
  if (isThrottling(err)) return true;
  const status = httpStatus(err);
  if (status !== undefined && status >= 500) return true;
  const e = err as SdkErrorShape | null;
  if (e && typeof e === 'object') {
    if (e.$retryable) return true;
    if (errorName(err) === 'TimeoutError' || errorName(err) === 'RequestTimeout') return true;
    if (typeof e.code === 'string' && NETWORK.has(e.code)) return true;
  }
  return false;
}
