/** Navigation of the metric tree (`tree:` in the config: parent id -> child ids). */
import type { NsmConfig, TreeRelation } from './types';

type TreeConfig = Pick<NsmConfig, 'tree'>;

/** Child id -> parent id. */
export function parentIndex(config: TreeConfig): Map<string, string> {
  const parents = new Map<string, string>();
  for (const [parent, children] of Object.entries(config.tree)) for (const child of children) parents.set(child, parent);
  return parents;
}

/** The children of `id` in configured order (empty for a leaf or a metric outside the tree). */
export function childrenOf(config: TreeConfig, id: string): readonly string[] {
  return config.tree[id] ?? [];
}

/** Every descendant of `id` with its depth (1 = child), depth-first in configured order. */
export function descendantsOf(config: TreeConfig, id: string): { id: string; depth: number }[] {
  const out: { id: string; depth: number }[] = [];
  const walk = (node: string, depth: number) => {
    for (const child of childrenOf(config, node)) {
      out.push({ id: child, depth });
      walk(child, depth + 1);
    }
  };
  walk(id, 1);
  return out;
}

/** A `tree:` entry as written: a plain list, or `{ product: [...] }` / `{ sum: [...] }`. */
export type TreeEntryInput = readonly string[] | { readonly product?: readonly string[]; readonly sum?: readonly string[] };

/**
 * What a `tree:` entry declares: its relation and children, or `both` / `neither` for a mapping
 * with both or none of `product` and `sum` (a config error).
 */
export function treeEntry(entry: TreeEntryInput): { relation: TreeRelation; children: readonly string[] } | 'both' | 'neither' {
  if (isList(entry)) return { relation: 'influence', children: entry };
  if (entry.product !== undefined && entry.sum !== undefined) return 'both';
  if (entry.product !== undefined) return { relation: 'product', children: entry.product };
  if (entry.sum !== undefined) return { relation: 'sum', children: entry.sum };
  return 'neither';
}

function isList(entry: TreeEntryInput): entry is readonly string[] {
  return Array.isArray(entry);
}

/** How `parent` is made of its children (`influence` for a plain list or a metric outside the tree). */
export function relationOf(config: Pick<NsmConfig, 'relations'>, parent: string): TreeRelation {
  return config.relations[parent] ?? 'influence';
}
