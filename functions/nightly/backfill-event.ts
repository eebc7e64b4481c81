/**
 * The events the backfill state machine (infra/backfill-machine.ts) sends the `nightly` Lambda,
 * one per bounded step, told apart from the nightly events (event.ts) by their `step` field:
 *
 * - `{"step":"plan","input":{"from","to"[,"rerun"]}}` → the plan (core/pipeline/backfill-plan.ts);
 * - `{"step":"rollups","night":D,"days":[…]}` and `{"step":"entries","night":D,"build":{…}}` →
 *   one state step, as the plan wrote it;
 * - `{"step":"night","date":D,"alerts_for":X|null}` → night D, sending its alerts only when D is X.
 */

import { parseIsoDay } from '../core/dates';
import { InputError } from '../core/errors';
import type { BackfillWorkStep } from '../core/pipeline/run-backfill-step';

/** One backfill step, checked. */
export type BackfillEvent = BackfillWorkStep | { readonly step: 'night'; readonly date: string; readonly alertsFor: string | null };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for an event with a `step` field (then `backfillEvent` parses it, or says what is wrong). */
export const isBackfillEvent = (event: unknown): event is { step: unknown } => isObject(event) && 'step' in event;

/**
 * The step `event` asks for.
 * @throws InputError with a one-line message naming the field
 */
export function backfillEvent(event: { step: unknown } & Record<string, unknown>): BackfillEvent {
  const day = (v: unknown, field: string) => parseIsoDay(String(v), `backfill step ${String(event.step)}: ${field}`);
  switch (event.step) {
    case 'plan':
      return { step: 'plan', input: event.input };
    case 'rollups': {
      if (!Array.isArray(event.days)) throw new InputError('backfill step rollups: "days" must be a list of YYYY-MM-DD days');
      return { step: 'rollups', night: day(event.night, 'night'), days: event.days.map((d, i) => day(d, `days[${i}]`)) };
    }
    case 'entries': {
      const b = event.build;
      if (!isObject(b) || b.source !== 'lake')
        throw new InputError('backfill step entries: "build" must be a lake chunk {night, base, from, source: "lake"}');
      const build = {
        night: day(b.night, 'build.night'),
        base: b.base === null ? null : day(b.base, 'build.base'),
        from: day(b.from, 'build.from'),
        source: 'lake' as const,
      };
      return { step: 'entries', night: day(event.night, 'night'), build };
    }
    case 'night':
      return {
        step: 'night',
        date: day(event.date, 'date'),
        alertsFor: event.alerts_for == null ? null : day(event.alerts_for, 'alerts_for'),
      };
    default:
      throw new InputError(`backfill step: unknown step ${JSON.stringify(event.step)} (expected plan, rollups, entries or night)`);
  }
}
