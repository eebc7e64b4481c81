/** Search step for the 2× lake's total events (see `ensureDoubleHistoryLake` in `lakes.ts`). */

/**
 * The next total to try: interpolated between the closest attempts below and above the goal
 * when the goal is bracketed, else scaled proportionally from the closest attempt; never a total
 * already tried (the generator is deterministic, so a repeat would give the same lake).
 */
export function nextTarget(attempts: ReadonlyArray<{ readonly target: number; readonly mean: number }>, goal: number): number {
  const below = attempts.filter((a) => a.mean < goal).sort((a, b) => b.mean - a.mean)[0];
  const above = attempts.filter((a) => a.mean > goal).sort((a, b) => a.mean - b.mean)[0];
  let next: number;
  if (below && above) {
    next = Math.round(below.target + ((above.target - below.target) * (goal - below.mean)) / (above.mean - below.mean));
  } else {
    const best = attempts.reduce((a, b) => (Math.abs(b.mean - goal) < Math.abs(a.mean - goal) ? b : a));
    next = Math.round(best.target * (goal / best.mean));
  }
  while (attempts.some((a) => a.target === next)) next = Math.round(next * 1.005) + 1;
  return next;
}
