/**
 * What the Athena engine's progress events (`AthenaEngineEvent`) say, in both forms the pipeline
 * writes them: one line for a person at a terminal (`nsm run --engine athena`) and a message with
 * fields for structured logs (the Lambda's Powertools logger).
 */
import type { AthenaEngineEvent } from '../adapters/athena-engine';

export interface AthenaProgress {
  readonly level: 'info' | 'warn';
  /** The structured log message, e.g. `athena query started`. */
  readonly message: string;
  /** The structured log fields (query name, execution id, …). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The same as one line of text. */
  readonly line: string;
}

export function athenaProgress(event: AthenaEngineEvent): AthenaProgress {
  switch (event.type) {
    case 'started':
      return {
        level: 'info',
        message: 'athena query started',
        fields: { query: event.query, query_id: event.queryId, attempt: event.attempt },
        line: `athena  ${event.query}  started ${event.queryId}${event.attempt ? ` (attempt ${event.attempt + 1})` : ''}`,
      };
    case 'succeeded':
      return {
        level: 'info',
        message: 'athena query succeeded',
        fields: { query: event.query, query_id: event.queryId, ms: event.ms, bytes_scanned: event.bytesScanned, rows: event.rows },
        line: `athena  ${event.query}  ${event.queryId}  ${event.ms} ms  ${event.bytesScanned ?? '?'} bytes scanned`,
      };
    case 'retry':
      return {
        level: 'warn',
        message: 'athena retry',
        fields: { query: event.query, query_id: event.queryId, reason: event.reason, delay_ms: event.delayMs },
        line: `athena  ${event.query}  retry in ${event.delayMs} ms: ${event.reason}`,
      };
    case 'stopped':
      return {
        level: 'warn',
        message: 'athena query stopped',
        fields: { query: event.query, query_id: event.queryId, reason: event.reason },
        line: `athena  ${event.query}  stopped ${event.queryId}: ${event.reason}`,
      };
    default: {
      const unknown: never = event;
      throw new Error(`unhandled Athena event ${JSON.stringify(unknown)}`);
    }
  }
}
