/**
 * Writes `latest.html`, the index of nights (`../report/render-index.ts`), after a night's files
 * and before `latest.json`. Like `latest.json` it never moves back: a re-run of an older night
 * leaves the index of the newest night in place.
 */
import { renderNightsIndex } from '../report/render-index';
import { LATEST_HTML_KEY } from '../results/layout';
import type { NightReport } from '../results/report';
import type { MetricRow } from '../results/rows';
import { CONTENT_TYPE, type ResultStore } from '../results/store';
import { readLatestPointer } from './latest-pointer';

/**
 * Writes the index for night `report.dt` unless `latest.json` already points at a later night.
 * @param history the earlier nights' metric rows the report drew (`D-90 … D-1`)
 */
export async function writeNightsIndex(store: ResultStore, report: NightReport, history: readonly MetricRow[]): Promise<void> {
  // An unreadable latest.json is no reason to fail: runNight rebuilds it (latest-pointer.ts).
  const latest = await readLatestPointer(store);
  if (latest !== null && latest.dt > report.dt) return;
  const page = renderNightsIndex({
    dt: report.dt,
    northStar: report.north_star,
    watch: report.watch,
    rows: [...history.filter((r) => r.dt < report.dt), ...report.metrics],
    generatedAt: report.generated_at,
  });
  await store.put(LATEST_HTML_KEY, page, CONTENT_TYPE.html);
}
