/**
 * `latest.json`, the pointer other tools follow to the newest night (docs/design.md §3): written last,
 * never moved back. A pointer that cannot be read — damaged, emptied, cut short — once failed
 * every later night (`Expected double-quoted property name …`, no file named), even after its
 * alerts went out; now it is rebuilt from the newest complete night in the store, with a warning.
 */
import { isIsoDay } from '../dates';
import { LATEST_KEY, RESULTS_FOLDERS, reportJsonKey, runKey, runNight } from '../results/layout';
import type { LatestPointer, RunRecord, RunWarning } from '../results/rows';
import type { ResultStore } from '../results/store';

/** What night `dt` does with `latest.json` once its own files are written. */
export interface LatestPlan {
  /** The pointer to write, or null to leave `latest.json` as it is. */
  readonly write: LatestPointer | null;
  /** Set when the pointer was unreadable and had to be rebuilt. */
  readonly warning?: RunWarning;
}

function parsePointer(text: string): LatestPointer | null {
  try {
    const p = JSON.parse(text) as Partial<LatestPointer>;
    return typeof p.dt === 'string' && isIsoDay(p.dt) && typeof p.report === 'string' ? (p as LatestPointer) : null;
  } catch {
    return null;
  }
}

/** The pointer in `latest.json`; null when there is none or it cannot be read (see `planLatest`). */
export async function readLatestPointer(store: ResultStore): Promise<LatestPointer | null> {
  const text = await store.get(LATEST_KEY);
  return text === null ? null : parsePointer(text);
}

/** The newest night whose run.json says it succeeded, or null. */
async function newestCompleteNight(store: ResultStore): Promise<string | null> {
  const nights = (await store.list(`${RESULTS_FOLDERS.runs}/`))
    .map(runNight)
    .filter((d): d is string => d !== null)
    .sort()
    .reverse();
  for (const night of nights) {
    const text = await store.get(runKey(night));
    try {
      if (text !== null && (JSON.parse(text) as Partial<RunRecord>).status === 'succeeded') return night;
    } catch {
      // A damaged run.json is not a complete night.
    }
  }
  return null;
}

/**
 * Decides `latest.json` for night `dt` (call it before the night's files are written, so the
 * night's run.json can carry the warning): point at `dt` unless the pointer names a later night.
 * An unreadable pointer is replaced by one to the newest complete night (or `dt`, if newer).
 */
export async function planLatest(store: ResultStore, dt: string): Promise<LatestPlan> {
  const text = await store.get(LATEST_KEY);
  const current = text === null ? null : parsePointer(text);
  const pointTo = (night: string): LatestPointer => ({ dt: night, report: reportJsonKey(night) });
  if (text === null || current !== null) {
    return { write: current !== null && current.dt > dt ? null : pointTo(dt) };
  }
  const newest = await newestCompleteNight(store);
  const night = newest !== null && newest > dt ? newest : dt;
  return {
    write: pointTo(night),
    warning: {
      code: 'latest_rebuilt',
      message: `${LATEST_KEY} could not be read (${text.trim() === '' ? 'empty' : 'not a {"dt", "report"} pointer'}): rebuilt to point at ${night}, the newest complete night`,
      dt: night,
      key: LATEST_KEY,
    },
  };
}
