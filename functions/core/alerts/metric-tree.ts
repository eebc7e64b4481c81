/** Reading the metric tree of the config (`tree: parent -> children`, DESIGN.md §2). */

/** Child id -> parent id, for `parent_id` in `metrics.jsonl`. Metrics outside the tree have no entry. */
export function parentIds(tree: Readonly<Record<string, readonly string[]>>): Map<string, string> {
  const parents = new Map<string, string>();
  for (const [parent, children] of Object.entries(tree)) for (const child of children) parents.set(child, parent);
  return parents;
}

/** A descendant of a metric and how far below it sits (1 = child). */
export interface Descendant {
  readonly id: string;
  readonly depth: number;
}

/**
 * Every descendant of `id`, depth first in configured order (child, its children, next child …).
 * The config parser guarantees a tree; the visited set only keeps a broken one from looping.
 */
export function descendants(tree: Readonly<Record<string, readonly string[]>>, id: string): Descendant[] {
  const out: Descendant[] = [];
  const seen = new Set<string>([id]);
  const walk = (parent: string, depth: number): void => {
    for (const child of tree[parent] ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      out.push({ id: child, depth });
      walk(child, depth + 1);
    }
  };
  walk(id, 1);
  return out;
}
