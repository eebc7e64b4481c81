/**
 * What one invocation of the `nightly` Lambda is asked to do: nights to run, or a backfill step
 * that is not a night. The event's two shapes are parsed in event.ts and backfill-event.ts.
 */
import type { NsmConfig } from '../core/config/types';
import type { BackfillWorkStep } from '../core/pipeline/run-backfill-step';
import { backfillEvent, isBackfillEvent } from './backfill-event';
import { nightsForEvent } from './event';

/** Nights to run (alerts only when `noAlerts` is false), or a backfill step other than a night. */
export type NightlyWork = { readonly nights: string[]; readonly noAlerts: boolean } | BackfillWorkStep;

/**
 * What `event` asks for: nights to run (a scheduled event, `{date}`, `{from,to}`, or a backfill's
 * night step, which sends alerts only for the backfill's newest night), or another backfill step.
 * @throws InputError when the event is neither shape, naming the field
 */
export function workOf(event: unknown, config: NsmConfig, now: Date): NightlyWork {
  if (!isBackfillEvent(event)) return { nights: nightsForEvent(event, config.timezone, now), noAlerts: false };
  const step = backfillEvent(event);
  return step.step === 'night' ? { nights: [step.date], noAlerts: step.date !== step.alertsFor } : step;
}
