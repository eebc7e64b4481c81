/**
 * Attribution through the tree (docs/alerts.md "How much each driver accounts for"): for every
 * child of a `product` or `sum` parent, its share of the parent's change from its baseline, and
 * the parent's identity residual, which says whether the declared formula holds tonight.
 *
 * With `x` a child's value tonight and `b` its baseline (the same-weekday median of the drop rule),
 * `Y` and `B` the parent's:
 *
 * - `product` (Y = x₁·x₂·…): `share_i = ln(x_i/b_i) / Σ_j ln(x_j/b_j)`, the log-change
 *   decomposition: the logs of a product's factors add up, so their log-changes split the parent's
 *   log-change exactly. Null when any value or baseline is not > 0 or the sum is 0.
 * - `sum` (Y = x₁+x₂+…): `share_i = (x_i − b_i) / Σ_j (x_j − b_j)`. Null when the sum is 0.
 *
 * `contribution_i = share_i · (Y − B)` (in the parent's units), `contribution_pct_i = 100 · share_i`.
 * Shares of one parent add up to 1; a child that moved against the parent has a negative share.
 */
import type { TreeRelation } from '../config/types';

/** One child of a product/sum parent tonight. */
export interface ChildMove {
  readonly value: number | null;
  readonly baseline: number | null;
}

/** A child's attribution; both null for influence edges, roots, and shares that cannot be computed. */
export interface Attribution {
  readonly contribution: number | null;
  readonly contribution_pct: number | null;
}

/**
 * A sum of terms that cancel is "0" within rounding: `ln(2) + ln(0.5)` or `3 - 2 - 1` may leave
 * 1e-16 behind, and dividing by that would print shares of 10¹⁵ %. Relative to the terms' size.
 */
const CANCELLED = 1e-12;

function sharesOf(terms: readonly number[]): (number | null)[] {
  const total = terms.reduce((a, t) => a + t, 0);
  const size = terms.reduce((a, t) => a + Math.abs(t), 0);
  if (size === 0 || Math.abs(total) <= CANCELLED * size) return terms.map(() => null);
  return terms.map((t) => t / total);
}

/**
 * The children's shares of a `product` parent's change: `ln(x_i/b_i) / Σ_j ln(x_j/b_j)`.
 * @example productShares([{ value: 0.73, baseline: 1 }, { value: 0.76, baseline: 1 }]) // [0.535…, 0.464…]
 */
export function productShares(children: readonly ChildMove[]): (number | null)[] {
  const positive = (v: number | null): v is number => v !== null && Number.isFinite(v) && v > 0;
  if (!children.every((c) => positive(c.value) && positive(c.baseline))) return children.map(() => null);
  return sharesOf(children.map((c) => Math.log((c.value as number) / (c.baseline as number))));
}

/**
 * The children's shares of a `sum` parent's change: `(x_i − b_i) / Σ_j (x_j − b_j)`.
 * @example sumShares([{ value: 70, baseline: 100 }, { value: 110, baseline: 100 }]) // [1.5, -0.5]
 */
export function sumShares(children: readonly ChildMove[]): (number | null)[] {
  const known = (v: number | null): v is number => v !== null && Number.isFinite(v);
  if (!children.every((c) => known(c.value) && known(c.baseline))) return children.map(() => null);
  return sharesOf(children.map((c) => (c.value as number) - (c.baseline as number)));
}

/**
 * Each child's contribution to its parent's change, in the parent's units and in percent.
 * @param parent the parent tonight (`Y`) and its baseline (`B`)
 */
export function attributeChildren(relation: 'product' | 'sum', parent: ChildMove, children: readonly ChildMove[]): Attribution[] {
  const shares = relation === 'product' ? productShares(children) : sumShares(children);
  const change = parent.value === null || parent.baseline === null ? null : parent.value - parent.baseline;
  return shares.map((share) => ({
    contribution: share === null || change === null ? null : share * change,
    contribution_pct: share === null ? null : 100 * share,
  }));
}

/**
 * `100 · (Y − f(children)) / Y`, f the product or sum of tonight's child values: how far the
 * declared formula is from tonight's numbers (0 when it holds). Null for an influence parent, a
 * parent of 0 or null, or a child without a value.
 */
export function identityResidualPct(
  relation: TreeRelation,
  parentValue: number | null,
  childValues: readonly (number | null)[],
): number | null {
  if (relation === 'influence' || parentValue === null || parentValue === 0 || !Number.isFinite(parentValue)) return null;
  if (!childValues.every((v): v is number => v !== null && Number.isFinite(v))) return null;
  const f = relation === 'product' ? childValues.reduce((a, v) => a * v, 1) : childValues.reduce((a, v) => a + v, 0);
  return (100 * (parentValue - f)) / parentValue;
}

/** What the tree's attribution adds to each metric's row. */
export interface TreeAttribution extends Attribution {
  /** On a `product`/`sum` parent only: see {@link identityResidualPct}. */
  readonly identity_residual_pct: number | null;
}

const NONE: TreeAttribution = { contribution: null, contribution_pct: null, identity_residual_pct: null };

/**
 * The attribution of every metric of `moves` (tonight's value and baseline by id) through the tree
 * of `config`: children of `product`/`sum` parents get their contribution, those parents their
 * identity residual, everything else nulls.
 */
export function attributeTree(
  config: { readonly tree: Readonly<Record<string, readonly string[]>>; readonly relations: Readonly<Record<string, TreeRelation>> },
  moves: ReadonlyMap<string, ChildMove>,
): Map<string, TreeAttribution> {
  const out = new Map<string, TreeAttribution>();
  const get = (id: string): TreeAttribution => out.get(id) ?? NONE;
  const missing: ChildMove = { value: null, baseline: null };
  for (const [parent, children] of Object.entries(config.tree)) {
    const relation = config.relations[parent] ?? 'influence';
    if (relation === 'influence') continue;
    const parentMove = moves.get(parent) ?? missing;
    const childMoves = children.map((c) => moves.get(c) ?? missing);
    attributeChildren(relation, parentMove, childMoves).forEach((a, i) => {
      out.set(children[i]!, { ...get(children[i]!), ...a });
    });
    const residual = identityResidualPct(
      relation,
      parentMove.value,
      childMoves.map((c) => c.value),
    );
    out.set(parent, { ...get(parent), identity_residual_pct: residual });
  }
  return out;
}
