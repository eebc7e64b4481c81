import type { AlertsConfig, MetricAlert } from '../config/types';
import type { DropThresholds } from './judge';

/**
 * The thresholds a metric is judged by: the global `alerts` ones, each replaced by the metric's
 * own `alert` override where it sets one (docs/configuration.md "Per-metric alert thresholds").
 * `baseline_weeks` stays global: every metric's history is read in one pass of the same nights.
 *
 * @example thresholdsFor(alerts, { alert: { min_drop_pct: 30 } }) // min_drop_pct 30, the rest from alerts
 */
export function thresholdsFor(
  alerts: Pick<AlertsConfig, 'min_drop_pct' | 'min_robust_z' | 'baseline_weeks'>,
  metric: { readonly alert?: MetricAlert | undefined },
): DropThresholds {
  const own = metric.alert;
  return {
    min_drop_pct: own?.min_drop_pct ?? alerts.min_drop_pct,
    min_robust_z: own?.min_robust_z ?? alerts.min_robust_z,
    baseline_weeks: alerts.baseline_weeks,
    min_value: own?.min_value,
  };
}
