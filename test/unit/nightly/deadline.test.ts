import { describe, expect, it } from 'vitest';
import { invocationDeadline } from '../../../functions/nightly/deadline';

describe('invocationDeadline', () => {
  it('falls the margin before Lambda’s timeout', () => {
    const deadline = invocationDeadline({ getRemainingTimeInMillis: () => 900_000 }, 60_000);
    expect(deadline?.inMs).toBe(840_000);
    expect(deadline?.signal.aborted).toBe(false);
  });

  it('is already due when less than the margin remains', async () => {
    const deadline = invocationDeadline({ getRemainingTimeInMillis: () => 10_000 }, 60_000);
    expect(deadline?.inMs).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(deadline?.signal.aborted).toBe(true);
  });

  it('is none without a context to ask', () => {
    expect(invocationDeadline(undefined, 60_000)).toBeUndefined();
  });
});
