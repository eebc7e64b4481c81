import { describe, expect, it } from 'vitest';
import { toSchedulerCron } from '../../../infra/scheduler-cron';

describe('toSchedulerCron', () => {
  // Expected values follow the EventBridge Scheduler cron reference
  // (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based):
  // six fields, `?` in one day field, weekdays 1-7 from Sunday or SUN-SAT, no `/` in weekdays.
  it.each([
    ['0 6 * * *', 'cron(0 6 * * ? *)'], // the default: every day at 06:00
    ['30 6 * * 1-5', 'cron(30 6 ? * MON-FRI *)'], // classic 1-5 is Monday-Friday, AWS 1-5 would be Sunday-Thursday
    ['0 6 * * 0', 'cron(0 6 ? * SUN *)'],
    ['0 6 * * 7', 'cron(0 6 ? * SUN *)'], // 7 is a second Sunday in classic cron
    ['0 6 * * 5-7', 'cron(0 6 ? * SUN,FRI,SAT *)'], // Friday-Sunday wraps in AWS numbering: listed instead
    ['0 6 * * mon,wed,fri', 'cron(0 6 ? * MON,WED,FRI *)'],
    ['0 6 * * */2', 'cron(0 6 ? * SUN,TUE,THU,SAT *)'], // no step in AWS weekdays: expanded
    ['0 6 * * 0-6', 'cron(0 6 * * ? *)'], // every weekday is no restriction
    ['0 6 1 * *', 'cron(0 6 1 * ? *)'],
    ['*/15 */2 * * *', 'cron(0/15 0/2 * * ? *)'], // steps written as start/step
    ['0 6 1-15/2 JAN,jul *', 'cron(0 6 1-15/2 JAN,jul ? *)'],
    ['5/20 6 * * *', 'cron(5/20 6 * * ? *)'],
  ])('%s → %s', (cron, expected) => {
    expect(toSchedulerCron(cron)).toBe(expected);
  });

  it.each([
    ['0 6 * *', /must have 5 fields/],
    ['0 6 * * * *', /must have 5 fields/],
    ['60 6 * * *', /minute "60" has a value outside 0-59/],
    ['0 24 * * *', /hour "24" has a value outside 0-23/],
    ['0 6 0 * *', /day of month "0" has a value outside 1-31/],
    ['0 6 * 13 *', /month "13" has a value outside 1-12/],
    ['0 6 * * 8', /day of week "8" has a value outside 0-7/],
    ['0 6 * * FUN', /day of week "FUN"/],
    ['0 6 * * 5-1', /runs backwards/],
    ['*/0 6 * * *', /step of 0/],
    ['0 6 L * *', /day of month "L"/],
    ['0 6 1 * 1', /cannot restrict both the day of month and the day of week/],
  ])('rejects %s', (cron, message) => {
    expect(() => toSchedulerCron(cron)).toThrow(message);
  });
});
