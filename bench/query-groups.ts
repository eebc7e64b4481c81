/**
 * Groups a night's queries for the time breakdown: queries that differ only by a day in their
 * name (`rollup 2024-06-29`, `rollup 2024-06-30`) are one group, `rollup <day>`, whose time is
 * the sum of its members. Sums can exceed the night's in-process time when queries run side by
 * side.
 */

export interface QueryGroup {
  readonly ms: number;
  readonly count: number;
}

/** `rollup 2024-06-30` → `rollup <day>`; other names unchanged. */
export const queryGroupName = (name: string) => name.replace(/\d{4}-\d{2}-\d{2}/g, '<day>');

/** Total ms and count per group, in order of first appearance. */
export function groupQueries(queries: ReadonlyArray<{ readonly name: string; readonly ms: number }>): Map<string, QueryGroup> {
  const groups = new Map<string, QueryGroup>();
  for (const q of queries) {
    const key = queryGroupName(q.name);
    const g = groups.get(key) ?? { ms: 0, count: 0 };
    groups.set(key, { ms: g.ms + q.ms, count: g.count + 1 });
  }
  return groups;
}

/**
 * A steady night's lake-reading steps: the summed ms of its `rollup <day>` queries, the only ones
 * that read the lake when the state is current (null when none ran). They can overlap in time.
 */
export function lakeStepMs(queries: ReadonlyArray<{ readonly name: string; readonly ms: number }>): number | null {
  return groupQueries(queries).get('rollup <day>')?.ms ?? null;
}
