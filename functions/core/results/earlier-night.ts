/**
 * An earlier night's results read back as history (the baselines, the report's charts), checked
 * before anything trusts them. A night whose `metrics.jsonl` is damaged or cut short is not an
 * error — that would fail every later night — and not silently "no history" either — that once
 * turned a real drop into `insufficient_history` with nothing said: it is *unusable*, with a
 * reason, and the caller leaves it out and says so (run.json `warnings`, `history_unusable`).
 *
 * `metrics.jsonl` is unusable when a line is not JSON, when it does not end with a line break (the
 * pipeline always writes one: the file was cut short mid-line), when it is empty, or when it has
 * fewer rows than its night's `run.json` says were written (`metrics_rows`: cut short at a line
 * break). A `run.json` that is not JSON is unusable on its own: the night's event count is unknown.
 */
import { metricsKey, runKey } from './layout';
import type { MetricRow, RunRecord } from './rows';
import type { ResultStore } from './store';

/** What a later night uses of an earlier night's results. */
export interface EarlierNight {
  readonly dt: string;
  /** The metric rows; null when the night has no `metrics.jsonl` or it is unusable (`problem`). */
  readonly rows: readonly MetricRow[] | null;
  /** The run record's counts; null when there is no `run.json` or it is unusable. */
  readonly run: Pick<RunRecord, 'day_events' | 'partition_missing' | 'partition_empty' | 'metrics_rows'> | null;
  /** Why the night's files cannot be used, naming the file; undefined when they are fine or absent. */
  readonly problem?: { readonly key: string; readonly reason: string };
}

type RunCounts = NonNullable<EarlierNight['run']>;

function parseLines(text: string): { rows: MetricRow[] } | { reason: string } {
  if (text.trim() === '') return { reason: 'is empty' };
  const lines = text.split('\n');
  const rows: MetricRow[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      rows.push(JSON.parse(line) as MetricRow);
    } catch {
      return { reason: `line ${i + 1} is not JSON (cut short or damaged)` };
    }
  }
  if (!text.endsWith('\n')) return { reason: 'does not end with a line break (cut short)' };
  return { rows };
}

/** Reads night `dt`'s `metrics.jsonl` and `run.json` (both at once) and checks them (see the module comment). */
export async function readEarlierNight(store: ResultStore, dt: string): Promise<EarlierNight> {
  const [metricsText, runText] = await Promise.all([store.get(metricsKey(dt)), store.get(runKey(dt))]);
  let run: RunCounts | null = null;
  let problem: EarlierNight['problem'];
  if (runText !== null) {
    try {
      const r = JSON.parse(runText) as Partial<RunRecord>;
      run = {
        day_events: typeof r.day_events === 'number' ? r.day_events : null,
        partition_missing: r.partition_missing === true,
        partition_empty: r.partition_empty === true,
        metrics_rows: typeof r.metrics_rows === 'number' ? r.metrics_rows : null,
      };
    } catch {
      problem = { key: runKey(dt), reason: 'is not JSON (damaged)' };
    }
  }
  if (metricsText === null) return { dt, rows: null, run, ...(problem ? { problem } : {}) };
  const parsed = parseLines(metricsText);
  if ('reason' in parsed) return { dt, rows: null, run, problem: { key: metricsKey(dt), reason: parsed.reason } };
  const expected = run?.metrics_rows;
  if (typeof expected === 'number' && parsed.rows.length < expected) {
    return {
      dt,
      rows: null,
      run,
      problem: {
        key: metricsKey(dt),
        reason: `has ${parsed.rows.length} of the ${expected} rows its run.json says were written (cut short)`,
      },
    };
  }
  return { dt, rows: parsed.rows, run, ...(problem ? { problem } : {}) };
}
