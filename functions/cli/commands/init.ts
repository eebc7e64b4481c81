/**
 * `nsm init --lake PATH|s3://…`: looks at a lake (wiring/profile-lake.ts: a local folder whole; wiring/profile-s3-lake.ts: an
 * S3 lake by listing it and copying a sample of its newest days) and writes a commented starter
 * config that `nsm validate --lake` accepts and `nsm run` runs (core/init/starter-config.ts).
 * Never overwrites a file without --force.
 */
import { existsSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { dayInZone } from '../../core/dates';
import { InputError } from '../../core/errors';
import { DEFAULT_S3_SAMPLE } from '../../core/init/lake-profile';
import { starterConfig } from '../../core/init/starter-config';
import { formatS3Uri, isS3Uri, parseS3Uri } from '../../core/s3-uri';
import { configSchemaPathFrom } from '../../wiring/config-schema-file';
import { loadConfig } from '../../wiring/load-config';
import { defineCommand, parsePositiveInt } from '../args';

export const initCommand = defineCommand({
  name: 'init',
  summary: 'look at a lake and write a commented starter config for it',
  flags: {
    lake: {
      type: 'string',
      value: 'PATH',
      help: 'the lake: a folder or s3://bucket/prefix holding <key>=YYYY-MM-DD/ partitions of JSON Lines or Parquet (required)',
    },
    config: { type: 'string', value: 'FILE', default: 'nsm.config.yaml', help: 'the config file to write' },
    results: {
      type: 'string',
      value: 'DIR',
      default: 'nsm-results',
      help: "where the config sends results (relative to the config's folder); for an S3 lake, s3://<the lake's bucket>/nsm-results",
    },
    'sample-days': {
      type: 'string',
      value: 'N',
      default: String(DEFAULT_S3_SAMPLE.days),
      help: `an S3 lake: the newest days copied to profile it (at most ${DEFAULT_S3_SAMPLE.bytes / 1024 / 1024} MiB, whole days)`,
    },
    force: { type: 'boolean', help: 'overwrite the config file if it exists' },
  },
  notes: [
    'It profiles the lake (format, partition key, columns and types, the most frequent events, what new',
    'users do first) and guesses the column mapping, a north star and tree, candidate actions and alerts.',
    'An S3 lake is listed (its day folders) and its newest days are copied to a temporary folder and',
    'profiled there: no Athena table is needed. AWS credentials and region come from the environment.',
  ],
  async run(flags, io) {
    if (!flags.lake) throw new InputError('--lake is required (the lake folder or s3:// location)');
    const s3 = isS3Uri(flags.lake);
    const sampleDays = parsePositiveInt(flags['sample-days'] ?? String(DEFAULT_S3_SAMPLE.days), '--sample-days');
    const results = flags.results ?? (s3 ? defaultS3Results(flags.lake) : 'nsm-results');
    const configPath = resolve(flags.config ?? 'nsm.config.yaml');
    if (existsSync(configPath) && !flags.force) throw new InputError(`${configPath} exists; --force overwrites it`);
    const configDir = dirname(configPath);
    const lakeDir = s3 ? formatS3Uri(parseS3Uri(flags.lake, '--lake')) : resolve(flags.lake);
    // Loaded here, not at start-up (DuckDB and the AWS SDK cost every other command ~400 ms to load),
    // and a local lake's profile loads DuckDB only, an S3 lake's the AWS SDK as well.
    const { profile, columns } = s3
      ? await (await import('../../wiring/profile-s3-lake')).profileS3LakeFromEnv(io.env, lakeDir, {
          ...DEFAULT_S3_SAMPLE,
          days: sampleDays,
        })
      : await (await import('../../wiring/profile-lake')).profileLocalLake(lakeDir, relativeFrom(configDir, lakeDir));
    const text = starterConfig(profile, columns, {
      schema: configSchemaPathFrom(configDir),
      results,
      today: dayInZone(io.now(), 'UTC'),
    });
    const previous = existsSync(configPath) ? await readFile(configPath) : null;
    await writeFile(configPath, text);
    // What was written must load; if the loader rejects it (a results folder inside the lake, a
    // guess it refuses), the file is put back as it was, so a re-run needs no --force.
    const config = await loadConfig(configPath, {}).catch(async (err: unknown) => {
      await (previous === null ? unlink(configPath) : writeFile(configPath, previous));
      throw err;
    });
    io.out(
      `${configPath}: written from ${lakeDir}\n` +
        `  ${profile.format}, partition '${profile.partition}', ${profile.days} days ${profile.firstDay} … ${profile.lastDay}, ${profile.events.length} event names` +
        `${profile.sample ? ` in the ${profile.sample.days} newest days (${profile.sample.files} files copied)` : ''}\n` +
        `  columns (guessed): user=${columns.user} account=${columns.account ?? '-'} event=${columns.event}${columns.time ? ` time=${columns.time}` : ''}\n` +
        `  north star (guessed): ${config.north_star}; ${config.metrics.length} metrics${config.candidates ? `, ${config.candidates.actions.length} candidate actions` : ''}\n` +
        (s3
          ? `Next: deploy the stack (docs/deploy.md), then nsm validate --config ${configPath} --lake --engine athena --date ${profile.lastDay}\n`
          : `Next: nsm validate --config ${configPath} --lake --date ${profile.lastDay}\n`),
    );
    return 0;
  },
});

/** `to` as a config names it from `from`: `./lake`, `../data/lake`, or absolute. */
function relativeFrom(from: string, to: string): string {
  const rel = relative(from, to);
  if (rel === '') return '.';
  if (isAbsolute(rel)) return rel;
  const posix = rel.split(sep).join('/');
  return posix.startsWith('..') ? posix : `./${posix}`;
}

/**
 * Results beside an S3 lake: `nsm-results` at its bucket's top. A lake at the bucket's top would
 * hold them (results may not sit inside the lake), so it needs `--results`.
 */
function defaultS3Results(lake: string): string {
  const { bucket, prefix } = parseS3Uri(lake, '--lake');
  if (prefix === '' || prefix === 'nsm-results' || prefix.startsWith('nsm-results/')) {
    throw new InputError(`--results is required for this lake: s3://${bucket}/nsm-results would be inside or over it`);
  }
  return `s3://${bucket}/nsm-results`;
}
