/**
 * How much history the North Star check reads and how far it may look ahead (docs/candidates.md
 * "The North Star check"). Kept apart from the check itself so that the config rules can name them.
 */

/** Weekly values read per night: D, D−7, …, D−7·(HISTORY_WEEKS−1), one year. */
export const HISTORY_WEEKS = 52;

/**
 * Week-over-week changes (both metrics present on two consecutive weeks) a night needs before it
 * says anything: "at least 26 weeks of history". Fewer: `insufficient_history`.
 */
export const MIN_CHANGES = 26;

/** The largest `max_lag_weeks`: a lag of L weeks leaves at most HISTORY_WEEKS − 1 − L pairs, at least 25 here. */
export const MAX_LAG_WEEKS = 26;
