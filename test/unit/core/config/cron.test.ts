import { describe, expect, it } from 'vitest';
import { cronProblem } from '../../../../functions/core/config/cron';

describe('cronProblem', () => {
  it.each([
    '0 6 * * *',
    '  0   6 * * *  ',
    '*/5 * * * *',
    '0/15 8-18 * * 1-5',
    '0 6 1,15 * *',
    '59 23 31 12 *',
    '0 0 * JAN-MAR,oct *',
    '0 0 * * SUN',
    '0 0 * * 7',
    '0 0 * * 0-6/2',
  ])('accepts %j', (expression) => {
    expect(cronProblem(expression)).toBeUndefined();
  });

  it.each([
    ['', 'must be a cron expression of 5 fields (minute hour day month weekday), got 0'],
    ['@daily', 'must be a cron expression of 5 fields (minute hour day month weekday), got 1'],
    ['cron(0 6 * * ? *)', 'must be a cron expression of 5 fields (minute hour day month weekday), got 6'],
    ['0 24 * * *', "hour '24' is out of range 0-23"],
    ['0 6 0 * *', "day of month '0' is out of range 1-31"],
    ['0 6 * 13 *', "month '13' is out of range 1-12"],
    ['0 6 * * 8', "day of week '8' is out of range 0-7"],
    ['0 6 * * MON-FRX', "day of week 'MON-FRX' is not valid (use *, N, N-M, */S, N-M/S or a comma list)"],
    ['0 6 * MON *', "month 'MON' is not valid (use *, N, N-M, */S, N-M/S or a comma list)"],
    ['0 6 ? * *', "day of month '?' is not valid (use *, N, N-M, */S, N-M/S or a comma list)"],
    ['0 6 L * *', "day of month 'L' is not valid (use *, N, N-M, */S, N-M/S or a comma list)"],
    ['0 6,,7 * * *', "hour '6,,7' is not valid (use *, N, N-M, */S, N-M/S or a comma list)"],
    ['*/0 * * * *', "minute step '*/0' must be >= 1"],
    ['0 18-8 * * *', "hour range '18-8' goes backwards"],
    ['0 6 1 * 1', 'day of month and day of week cannot both be restricted (EventBridge allows only one)'],
  ])('rejects %j', (expression, problem) => {
    expect(cronProblem(expression)).toBe(problem);
  });
});
