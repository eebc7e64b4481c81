/** How a metric's status reads on the page: a word and a symbol, so colour is never the only cue. */
import type { MetricStatus } from '../results/rows';

export interface StatusText {
  /** Upper-case tag for chart boxes: `DROP`. */
  tag: string;
  /** Sentence-case label for tables and the headline: `Drop`. */
  label: string;
  /** Symbol shown before the label. */
  icon: string;
}

export const STATUS_TEXT: Record<MetricStatus, StatusText> = {
  ok: { tag: 'OK', label: 'OK', icon: '✓' },
  drop: { tag: 'DROP', label: 'Drop', icon: '▼' },
  insufficient_history: { tag: 'NO HISTORY', label: 'Not enough history', icon: '…' },
  data_incomplete: { tag: 'INCOMPLETE', label: 'Data incomplete', icon: '!' },
};

/** The text for `status`, tolerating a value this version does not know. */
export function statusText(status: string): StatusText {
  return (STATUS_TEXT as Record<string, StatusText>)[status] ?? { tag: status.toUpperCase(), label: status, icon: '?' };
}
