/** Bounds of the threshold sweep (docs/candidates.md "Threshold sweep"). */

/**
 * At most this many (action, cell) pairs per night: each is two sums in the one sweep query and a
 * line of `sweep.jsonl`, and together they are the family the q-values correct for.
 */
export const MAX_SWEEP_CELLS = 200;
