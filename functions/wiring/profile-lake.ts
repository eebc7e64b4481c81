/**
 * `nsm init`'s look at a local lake: the partition folders (key and day format), the format, the
 * columns and their types (a DuckDB DESCRIBE of the newest files), every event name with its count
 * and first/last day, and what new users do early — through the same DuckDB engine a night uses.
 */
import { readdir, stat } from 'node:fs/promises';
import { describeLocalScan } from '../adapters/duckdb-describe';
import { DuckDbEngine } from '../adapters/duckdb-engine';
import { listLake, sniffLakeFormat } from '../adapters/lake-files';
import { DEFAULT_MAX_DAYS_PER_QUERY } from '../core/config/schema';
import type { LakeConfig } from '../core/config/types';
import { isIsoDay } from '../core/dates';
import { LakeError } from '../core/errors';
import { type GuessedColumns, guessColumns, type LakeProfile, type NewUserEvent } from '../core/init/lake-profile';
import { eventNames } from '../core/pipeline/inspect-lake';
import { duckdbDialect } from '../core/sql/dialects';
import { lakeEventsQuery } from '../core/sql/lake-inspection';
import { jsonAutoScanSql, newUserEventsSql, parquetScanSql } from '../core/sql/lake-profile';

/** Files whose columns are described: the newest few, so a column added lately is seen. */
const DESCRIBED_FILES = 8;
/** New users' "first week". */
const EARLY_DAYS = 7;

/** Profiles the lake in folder `dir`; `location` is how the config will name it. */
export async function profileLocalLake(dir: string, location: string): Promise<{ profile: LakeProfile; columns: GuessedColumns }> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new LakeError(dir, 'is not a folder');
  const partition = partitionKey(
    dir,
    (await readdir(dir)).filter((name) => !name.startsWith('.')),
  );
  const listing = await listEither(dir, partition);
  const days = [...listing.partitionDays].sort();
  const bad = days.find((d) => !isIsoDay(d));
  if (bad !== undefined) {
    throw new LakeError(dir, `partition ${partition}=${bad}: nsm reads day partitions named ${partition}=YYYY-MM-DD`);
  }
  const newest = listing.files.slice(-DESCRIBED_FILES);
  const described = await describeLocalScan(listing.format === 'parquet' ? parquetScanSql(newest) : jsonAutoScanSql(newest));
  const lakeColumns = described.filter((c) => c.name !== partition);
  const guessed = guessColumns(lakeColumns);
  const all = lakeColumns.map((c) => c.name).join(', ');
  if (!guessed.user)
    throw new LakeError(dir, `no column looks like a user id (text or whole number named like user_id, uid); its columns: ${all}`);
  if (!guessed.event) throw new LakeError(dir, `no text column looks like the event name (event_name, event, name); its columns: ${all}`);
  const columns: GuessedColumns = { user: guessed.user, account: guessed.account, event: guessed.event, time: guessed.time };

  const firstDay = days[0]!;
  const lastDay = days[days.length - 1]!;
  const lake: LakeConfig = {
    location: dir,
    format: listing.format,
    partition,
    columns,
    first_day: undefined,
    athena: undefined,
    // Only the nightly plans bound their lake reads; the profile's queries are the local DuckDB's own.
    max_days_per_query: DEFAULT_MAX_DAYS_PER_QUERY,
  };
  const dialect = duckdbDialect();
  const engine = await DuckDbEngine.open(
    lake,
    lakeColumns.map((c) => c.name),
    { dialect },
  );
  try {
    const events = eventNames((await engine.run(lakeEventsQuery(dialect, lake, columns.event, firstDay, lastDay))).rows);
    const early = await engine.run({
      name: 'new-user-events',
      sql: newUserEventsSql(dialect, { user: columns.user, event: columns.event, partition }, firstDay, EARLY_DAYS),
    });
    const newUserEvents: NewUserEvent[] = early.rows.map((r) => ({
      event: String(r.nsm_event),
      users: Number(r.users),
      day0: Number(r.day0),
      early: Number(r.early),
      newcomers: Number(r.newcomers),
    }));
    return {
      profile: {
        location,
        format: listing.format,
        partition,
        firstDay,
        lastDay,
        days: days.length,
        files: listing.files.length,
        columns: lakeColumns,
        events,
        newUserEvents,
      },
      columns,
    };
  } finally {
    await engine.close();
  }
}

/** The Hive key of the lake's top folders (`dt` in `dt=2024-06-30`): the most common one. */
export function partitionKey(dir: string, names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=./.exec(name);
    if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (!best) throw new LakeError(dir, 'no Hive partition folders (<key>=YYYY-MM-DD) at its top');
  return best[0];
}

/** The listing and the format its files hold (told by their first bytes, not their names). */
async function listEither(dir: string, partition: string) {
  const listing = await listLake(dir, partition, 'json').catch((err: unknown) => {
    throw err instanceof LakeError ? new LakeError(dir, `no data files under ${partition}=YYYY-MM-DD/ folders`) : err;
  });
  return { ...listing, format: await sniffLakeFormat(listing.files) };
}
