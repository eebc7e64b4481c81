/**
 * A lake whose files begin with UTF-8 byte order marks, as a loader with a BOM habit writes it,
 * and a config that counts its events: shared by the DuckDB test
 * (test/integration/lake-bom.test.ts) and the Athena-on-Trino one (engines/lake-bom.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { addDays, dayRange } from '../../functions/core/dates';

export const BOM_NIGHT = '2024-03-14';
export const BOM_FIRST_DAY = addDays(BOM_NIGHT, -3);
/** The night after: its partition holds one file, only a BOM (an empty partition on Athena). */
export const BOM_ONLY_NIGHT = addDays(BOM_NIGHT, 1);
const BOM = '\uFEFF';

export const BOM_CONFIG = `version: 1
lake:
  location: ./lake
  columns: { user: user_id, account: account_id, event: event_name }
  first_day: ${BOM_FIRST_DAY}
results:
  location: ./local-results
metrics:
  - { id: events, type: count }
  - { id: events_4d, type: count, window_days: 4 }
  - { id: users_4d, type: distinct_users, window_days: 4 }
north_star: users_4d
alerts:
  min_drop_pct: 99
`;

const line = (user: string, event = 'post') => JSON.stringify({ user_id: user, account_id: 'a1', event_name: event });

/**
 * Every day's partition, as a loader with a BOM habit writes it:
 * - D-3: one file, JSON lines after a BOM (alone in its partition);
 * - D-2: a plain file and a file that is only a BOM;
 * - D-1: one gzip file whose text begins with a BOM (alone);
 * - D: a plain file, a BOM file of lines, and a gzip file that is only a BOM;
 * - D+1: one file, only a BOM (alone in its partition).
 * Returns the events written per day, and the users.
 */
export function writeBomLake(lake: string): { events: Record<string, number>; users: Set<string> } {
  const events: Record<string, number> = {};
  const users = new Set<string>();
  const file = (day: string, name: string, body: string | Buffer) => {
    mkdirSync(join(lake, `dt=${day}`), { recursive: true });
    writeFileSync(join(lake, `dt=${day}`, name), body);
  };
  /** `n` lines of users not seen before. */
  const lines = (day: string, n: number) => {
    const first = events[day] ?? 0;
    const out = Array.from({ length: n }, (_, i) => line(`${day}-u${first + i}`));
    for (let i = 0; i < n; i++) users.add(`${day}-u${first + i}`);
    events[day] = first + n;
    return `${out.join('\n')}\n`;
  };
  const [d3, d2, d1] = [addDays(BOM_NIGHT, -3), addDays(BOM_NIGHT, -2), addDays(BOM_NIGHT, -1)];
  file(d3, 'bom-lines.jsonl', `${BOM}${lines(d3, 3)}`);
  file(d2, 'part-0.jsonl', lines(d2, 4));
  file(d2, 'only-bom.jsonl', BOM);
  file(d1, 'part-0.jsonl.gz', gzipSync(`${BOM}${lines(d1, 5)}`));
  file(BOM_NIGHT, 'part-0.jsonl', lines(BOM_NIGHT, 2));
  file(BOM_NIGHT, 'part-1.jsonl', `${BOM}${lines(BOM_NIGHT, 3)}`);
  file(BOM_NIGHT, 'part-2.jsonl.gz', gzipSync(BOM));
  file(BOM_ONLY_NIGHT, 'part-0.jsonl', BOM);
  return { events, users };
}

/** The metric values of BOM_NIGHT as written (the BOMs hide no event). */
export function bomExpected(written: { events: Record<string, number>; users: Set<string> }): Record<string, number> {
  return {
    events: written.events[BOM_NIGHT]!,
    events_4d: dayRange(BOM_FIRST_DAY, BOM_NIGHT).reduce((n, day) => n + written.events[day]!, 0),
    users_4d: written.users.size,
  };
}
