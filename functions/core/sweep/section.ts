/** The `candidates.sweep` section of `report.json` for one night. */
import type { SweepConfig } from '../config/types';
import type { SweepSection } from '../results/report';
import type { SweepRow } from '../results/rows';
import { MAX_BEST_SHARE, MIN_BEST_SHARE } from './best';

/** @param rows the night's rows from `evaluateSweep` (cell order) */
export function sweepSection(sweep: SweepConfig, rows: SweepRow[]): SweepSection {
  return {
    min_count: [...sweep.min_count],
    within_days: [...sweep.within_days],
    min_share: MIN_BEST_SHARE,
    max_share: MAX_BEST_SHARE,
    rows,
  };
}
