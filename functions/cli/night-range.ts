/** Which nights a command covers: `--date D`, `--from D1 --to D2`, or yesterday in the config's zone. */
import { dayRange, parseIsoDay, yesterdayInZone } from '../core/dates';
import { InputError } from '../core/errors';

export interface NightFlags {
  readonly date?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** The nights to run, oldest first. `now` and `timeZone` decide "yesterday". */
export function nightsFromFlags(flags: NightFlags, timeZone: string, now: Date): string[] {
  if (flags.date !== undefined && (flags.from !== undefined || flags.to !== undefined)) {
    throw new InputError('--date cannot be combined with --from/--to');
  }
  if (flags.from !== undefined || flags.to !== undefined) {
    if (flags.from === undefined || flags.to === undefined) throw new InputError('--from and --to go together');
    const from = parseIsoDay(flags.from, '--from');
    const to = parseIsoDay(flags.to, '--to');
    if (from > to) throw new InputError(`--from ${from} is after --to ${to}`);
    return dayRange(from, to);
  }
  if (flags.date !== undefined) return [parseIsoDay(flags.date, '--date')];
  return [yesterdayInZone(now, timeZone)];
}
