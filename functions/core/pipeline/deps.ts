/** What the nightly pipeline needs from the outside world: the three ports and a log line sink. */
import type { Notifier } from '../alerts/notifier';
import type { QueryEngine } from '../engine';
import type { ResultStore } from '../results/store';

export interface PipelineDeps {
  readonly engine: QueryEngine;
  readonly store: ResultStore;
  readonly notifier: Notifier;
  /** One human-readable progress line (the CLI prints it; the Lambda logs it). */
  readonly log: (line: string) => void;
  /** Clock, injectable for tests. */
  readonly now?: () => Date;
}
