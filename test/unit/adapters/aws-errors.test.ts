import { describe, expect, it } from 'vitest';
import { describeError, errorName, httpStatus, isThrottling, isTransient } from '../../../functions/adapters/aws-errors';

/** An error shaped like an SDK v3 service exception. */
function sdkError(name: string, status?: number, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } }, extra);
}

describe('aws-errors', () => {
  it('reads name and status', () => {
    expect(errorName(sdkError('NoSuchKey', 404))).toBe('NoSuchKey');
    expect(httpStatus(sdkError('NoSuchKey', 404))).toBe(404);
    expect(errorName('text')).toBe('');
    expect(httpStatus(new Error('x'))).toBeUndefined();
  });

  it.each([
    [sdkError('ThrottlingException', 400), true, true],
    [sdkError('TooManyRequestsException', 400), true, true],
    [sdkError('SlowDown', 503), true, true],
    [sdkError('Whatever', 429), true, true],
    [sdkError('InternalServerException', 500), false, true],
    [sdkError('ServiceUnavailable', 503), false, true],
    [sdkError('TimeoutError'), false, true],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), false, true],
    [sdkError('Odd', 400, { $retryable: {} }), false, true],
    [sdkError('InvalidRequestException', 400), false, false],
    [sdkError('AccessDeniedException', 403), false, false],
    [sdkError('NoSuchKey', 404), false, false],
    [new Error('plain'), false, false],
    [undefined, false, false],
  ])('%s: throttling %s, transient %s', (err, throttling, transient) => {
    expect(isThrottling(err)).toBe(throttling);
    expect(isTransient(err)).toBe(transient);
  });

  it('describes errors without stacks', () => {
    expect(describeError(sdkError('NoSuchKey', 404))).toBe('NoSuchKey: NoSuchKey happened');
    expect(describeError(new Error('plain'))).toBe('plain');
    expect(describeError('text')).toBe('text');
  });
});
