/** The `north_star_check` section of `report.json`: the check's config, what it read, and its analysis. */
import type { NorthStarCheckConfig } from '../config/types';
import type { NorthStarCheckSection } from '../results/report';
import { lagCorrelations } from './lag-correlations';
import { HISTORY_WEEKS, MIN_CHANGES } from './limits';
import type { WeeklySeries } from './weekly-values';

export function northStarCheckSection(northStar: string, check: NorthStarCheckConfig, series: WeeklySeries): NorthStarCheckSection {
  const ns = series.values.get(northStar) ?? [];
  const revenue = series.values.get(check.revenue) ?? [];
  const analysis = lagCorrelations(ns, revenue, check.max_lag_weeks);
  return {
    north_star: northStar,
    revenue: check.revenue,
    max_lag_weeks: check.max_lag_weeks,
    weeks_read: HISTORY_WEEKS,
    first_week: series.days[0] ?? null,
    min_changes: MIN_CHANGES,
    ...analysis,
  };
}
