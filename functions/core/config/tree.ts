/** Navigation of the metric tree (`tree:` in the config: parent id -> child ids). */
import type { NsmConfig } from './types';

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
