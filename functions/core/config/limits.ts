/**
 * The limits that keep one night's work bounded (docs/configuration.md, "Limits"). A config within
 * them validates; each limit broken is a one-line `ConfigError` (`./rules.ts`). They exist because
 * a config that validates is run unattended every night: `window_days: 100000` once meant 99,936
 * queries and 1.2 GB of rollups for one night (100,000 UNLOADs on Athena).
 *
 * `sweepCells` is enforced with the threshold sweep's rules, `dimensions` with the segments'.
 */
export const CONFIG_LIMITS = {
  /** Days of a metric's window, of a cohort, of a retention day and of an action's `within_days`: a year, leap day included. */
  days: 366,
  /** Characters of a metric or candidate-action id (they appear in SQL column names, file rows and messages). */
  idLength: 64,
  /** Metrics of a config: the metrics query has a column per metric. */
  metrics: 500,
  /** Event names of one metric (an `IN (…)` list in its SQL). */
  eventsPerMetric: 100,
  /** Candidate actions: one row each in the candidates query, and one test each. */
  candidateActions: 50,
  /** Same-weekday nights a baseline reads back (a year of weeks). */
  baselineWeeks: 52,
  /**
   * (action, cell) pairs of a threshold sweep: each is two sums in the one sweep query and a line of
   * `sweep.jsonl`, and together they are the family the q-values correct for.
   */
  sweepCells: 200,
  /** Earlier nights a night re-checks for late data (each a query over one lake partition). */
  recheckNights: 14,
  /** Segment dimensions: each multiplies the groups a night computes. */
  dimensions: 10,
} as const;

/** The shortest gap between two scheduled runs: a schedule runs at most once an hour. */
export const MIN_SCHEDULE_GAP_MINUTES = 60;
