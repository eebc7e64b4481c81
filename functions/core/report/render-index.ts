/**
 * `latest.html`: the index of nights for people, so a reader can page back. One row per night of
 * the last 90 that has results, newest first: the north star's value, change and status, and the
 * watched metrics that dropped, each night linking to its `report.html`. Self-contained like the
 * reports (the same CSS and Content-Security-Policy, no script, nothing loaded).
 *
 * Pure: metric rows in, a string out.
 */

import { LATEST_HTML_KEY, relativeLink, reportHtmlKey } from '../results/layout';
import type { MetricRow, MetricStatus } from '../results/rows';
import { html } from './escape';
import { formatNumber } from './format';
import { formatDay, formatInstant } from './format-date';
import { renderPage } from './page';
import { changeHtml, statusPill } from './sections/parts';

/** One night of the index. */
export interface IndexNight {
  readonly dt: string;
  /** The north star's value, change and status that night (null/none when it has no row). */
  readonly value: number | null;
  readonly change_pct: number | null;
  readonly status: MetricStatus | null;
  /** Names of the watched metrics whose status was `drop`, in watch order. */
  readonly drops: string[];
}

/** The index rows of `rows` (metric rows of any nights): one per night, newest first. */
export function nightsIndexRows(rows: readonly MetricRow[], northStar: string, watch: readonly string[]): IndexNight[] {
  const byNight = new Map<string, MetricRow[]>();
  for (const r of rows) byNight.set(r.dt, [...(byNight.get(r.dt) ?? []), r]);
  return [...byNight.keys()]
    .sort()
    .reverse()
    .map((dt) => {
      const night = byNight.get(dt) ?? [];
      const nsm = night.find((r) => r.metric_id === northStar);
      const dropped = new Map(night.filter((r) => r.status === 'drop').map((r) => [r.metric_id, r.name || r.metric_id]));
      return {
        dt,
        value: nsm?.value ?? null,
        change_pct: nsm?.change_pct ?? null,
        status: nsm?.status ?? null,
        drops: watch.flatMap((id) => dropped.get(id) ?? []),
      };
    });
}

export interface NightsIndexInput {
  /** The newest night listed. */
  readonly dt: string;
  readonly northStar: string;
  readonly watch: readonly string[];
  /** Metric rows of the nights to list (`D-90 … D`). */
  readonly rows: readonly MetricRow[];
  readonly generatedAt: string;
}

/** The page at {@link LATEST_HTML_KEY}. */
export function renderNightsIndex(input: NightsIndexInput): string {
  const nights = nightsIndexRows(input.rows, input.northStar, input.watch);
  const name = input.rows.find((r) => r.metric_id === input.northStar)?.name || input.northStar;
  const link = (dt: string) => relativeLink(LATEST_HTML_KEY, reportHtmlKey(dt));
  const body = nights.map(
    (n) =>
      html`<tr><td class="head"><a href="${link(n.dt)}">${formatDay(n.dt)}</a></td><td class="n" data-label="North Star">${formatNumber(n.value)}</td><td class="n" data-label="Change">${changeHtml(n.change_pct)}</td><td data-label="Status">${n.status === null ? '—' : statusPill(n.status)}</td><td data-label="Drops">${n.drops.length ? n.drops.join(', ') : '—'}</td></tr>`,
  );
  return renderPage(
    `North Star reports · up to ${formatDay(input.dt)}`,
    html`<header class="top"><h1>North Star reports</h1><span class="sub">generated ${formatInstant(input.generatedAt)}</span></header>
<p>Latest report: <a href="${link(input.dt)}">${formatDay(input.dt)}</a>. Below, every night of the last 90 days with results, newest first: <strong>${name}</strong> that night, its change against the baseline, its status, and the watched metrics that dropped.</p>
<section id="nights"><div class="table-wrap"><table class="stack"><thead><tr><th>Night</th><th class="n">North Star</th><th class="n">Change</th><th>Status</th><th>Drops</th></tr></thead><tbody>${body}</tbody></table></div></section>
<footer>nsm-nightly · a self-contained page: no scripts, no network requests.</footer>`,
  );
}
