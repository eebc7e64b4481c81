/**
 * A minimal client of Trino's HTTP statement protocol (`POST /v1/statement`, then follow
 * `nextUri` until there is none): the columns with their Trino types, the rows, the final
 * statistics, or the error Trino reported.
 *
 * Numbers are kept as the text Trino printed (a bigint above 2^53 must not be rounded on its way
 * to the fake Athena, which prints cells as text just as Athena does): the responses are parsed
 * by {@link parseJsonKeepingNumbers}, not `JSON.parse`.
 */

/** A JSON number, as written. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type TrinoValue = null | boolean | string | JsonNumber | TrinoValue[] | { [key: string]: TrinoValue };

export interface TrinoColumn {
  readonly name: string;
  /** Trino's type signature, e.g. `bigint`, `varchar(10)`, `decimal(38,0)`. */
  readonly type: string;
}

export interface TrinoResult {
  readonly queryId: string;
  readonly columns: readonly TrinoColumn[];
  readonly rows: readonly (readonly TrinoValue[])[];
  /** Bytes the query read from storage (`stats.physicalInputBytes`). */
  readonly physicalInputBytes: number;
  /** Rows written by CREATE TABLE AS / INSERT (`updateCount`), when Trino reports one. */
  readonly updateCount: number | undefined;
}

/** A query Trino failed: its message and error name (e.g. `COLUMN_NOT_FOUND`). */
export class TrinoQueryError extends Error {
  constructor(
    readonly queryId: string,
    readonly errorName: string,
    message: string,
  ) {
    super(`${errorName}: ${message}`);
  }
}

export interface TrinoSession {
  readonly catalog?: string;
  readonly schema?: string;
  /** Session properties, e.g. `{ 'hive.compression_codec': 'SNAPPY' }`. */
  readonly properties?: Readonly<Record<string, string>>;
}

/** Thrown by {@link TrinoClient.query} when its `cancelled` check said so: the query was cancelled on Trino. */
export class TrinoCancelledError extends Error {
  constructor(readonly queryId: string) {
    super(`Trino query ${queryId} cancelled`);
  }
}

export interface TrinoQueryOptions {
  /**
   * Asked before each page is fetched: when it answers true, the query is cancelled on Trino
   * (`DELETE` of its next URI, which stops its running tasks) and the call throws
   * {@link TrinoCancelledError}.
   */
  readonly cancelled?: () => boolean;
}

export class TrinoClient {
  constructor(
    readonly endpoint: string,
    private readonly user = 'nsm-test',
  ) {}

  async query(sql: string, session: TrinoSession = {}, options: TrinoQueryOptions = {}): Promise<TrinoResult> {
    const headers: Record<string, string> = { 'X-Trino-User': this.user };
    if (session.catalog) headers['X-Trino-Catalog'] = session.catalog;
    if (session.schema) headers['X-Trino-Schema'] = session.schema;
    const props = Object.entries(session.properties ?? {});
    if (props.length > 0) headers['X-Trino-Session'] = props.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join(',');

    let page = await this.fetchPage(`${this.endpoint}/v1/statement`, { method: 'POST', body: sql, headers });
    let columns: TrinoColumn[] | undefined;
    const rows: TrinoValue[][] = [];
    for (;;) {
      if (page.columns) columns = page.columns;
      if (page.data) rows.push(...page.data);
      if (page.error) throw new TrinoQueryError(page.id, page.error.errorName, page.error.message);
      if (!page.nextUri) break;
      if (options.cancelled?.()) {
        await fetch(page.nextUri, { method: 'DELETE', headers: { 'X-Trino-User': this.user } }).catch(() => undefined);
        throw new TrinoCancelledError(page.id);
      }
      page = await this.fetchPage(page.nextUri, { headers: { 'X-Trino-User': this.user } });
    }
    return {
      queryId: page.id,
      columns: columns ?? [],
      rows,
      physicalInputBytes: Number((page.stats?.physicalInputBytes as JsonNumber | undefined)?.text ?? 0),
      updateCount: page.updateCount === undefined ? undefined : Number(page.updateCount.text),
    };
  }

  private async fetchPage(url: string, init: RequestInit): Promise<StatementPage> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(url, init);
      // 429/502/503/504: the protocol says wait and ask again for the same page.
      if ([429, 502, 503, 504].includes(res.status) && attempt < 20) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const text = await res.text();
      if (!res.ok) throw new Error(`Trino ${init.method ?? 'GET'} ${url}: HTTP ${res.status}: ${text.slice(0, 500)}`);
      return toPage(parseJsonKeepingNumbers(text));
    }
  }
}

interface StatementPage {
  id: string;
  nextUri?: string;
  columns?: TrinoColumn[];
  data?: TrinoValue[][];
  error?: { message: string; errorName: string };
  stats?: Record<string, TrinoValue>;
  updateCount?: JsonNumber;
}

function toPage(value: TrinoValue): StatementPage {
  const o = value as Record<string, TrinoValue>;
  const error = o.error as Record<string, TrinoValue> | undefined;
  return {
    id: o.id as string,
    nextUri: o.nextUri as string | undefined,
    columns: (o.columns as Record<string, TrinoValue>[] | undefined)?.map((c) => ({ name: c.name as string, type: c.type as string })),
    data: o.data as TrinoValue[][] | undefined,
    error: error ? { message: error.message as string, errorName: error.errorName as string } : undefined,
    stats: o.stats as Record<string, TrinoValue> | undefined,
    updateCount: o.updateCount as JsonNumber | undefined,
  };
}

/** `JSON.parse`, except that every number becomes a {@link JsonNumber} holding its text. */
export function parseJsonKeepingNumbers(text: string): TrinoValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${i} of a Trino response`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (): TrinoValue => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const out: Record<string, TrinoValue> = {};
      ws();
      if (text[i] === '}') return (i++, out);
      for (;;) {
        ws();
        const key = string();
        ws();
        if (text[i++] !== ':') fail('expected :');
        out[key] = value();
        ws();
        const sep = text[i++];
        if (sep === '}') return out;
        if (sep !== ',') fail('expected , or }');
      }
    }
    if (ch === '[') {
      i++;
      const out: TrinoValue[] = [];
      ws();
      if (text[i] === ']') return (i++, out);
      for (;;) {
        out.push(value());
        ws();
        const sep = text[i++];
        if (sep === ']') return out;
        if (sep !== ',') fail('expected , or ]');
      }
    }
    if (ch === '"') return string();
    if (text.startsWith('true', i)) return ((i += 4), true);
    if (text.startsWith('false', i)) return ((i += 5), false);
    if (text.startsWith('null', i)) return ((i += 4), null);
    const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m) return fail('unexpected token');
    i += m[0].length;
    return new JsonNumber(m[0]);
  };
  const string = (): string => {
    if (text[i] !== '"') fail('expected a string');
    // Find the closing quote (skipping escapes) and let JSON.parse decode the escapes.
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    const s = JSON.parse(text.slice(i, j + 1)) as string;
    i = j + 1;
    return s;
  };
  const out = value();
  ws();
  if (i !== text.length) fail('trailing characters');
  return out;
}
