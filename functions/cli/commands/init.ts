/**
 * `nsm init --lake PATH`: looks at a local lake (wiring/profile-lake.ts) and writes a commented
 * starter config that `nsm validate --lake` accepts and `nsm run` runs (core/init/starter-config.ts).
 * Never overwrites a file without --force.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { dayInZone } from '../../core/dates';
import { InputError } from '../../core/errors';
import { starterConfig } from '../../core/init/starter-config';
import { isS3Uri } from '../../core/s3-uri';
import { configSchemaPathFrom } from '../../wiring/config-schema-file';
import { loadConfig } from '../../wiring/load-config';
import { profileLocalLake } from '../../wiring/profile-lake';
import { defineCommand } from '../args';

export const initCommand = defineCommand({
  name: 'init',
  summary: 'look at a lake and write a commented starter config for it',
  flags: {
    lake: { type: 'string', value: 'PATH', help: 'the lake folder: <key>=YYYY-MM-DD/ partitions of JSON Lines or Parquet (required)' },
    config: { type: 'string', value: 'FILE', default: 'nsm.config.yaml', help: 'the config file to write' },
    results: {
      type: 'string',
      value: 'DIR',
      default: 'nsm-results',
      help: "where the config sends results (relative to the config's folder)",
    },
    force: { type: 'boolean', help: 'overwrite the config file if it exists' },
  },
  notes: [
    'It profiles the lake (format, partition key, columns and types, the most frequent events, what new',
    'users do first) and guesses the column mapping, a north star and tree, candidate actions and alerts.',
    'A lake in S3 (through Athena) is not supported yet: point it at a local copy of a few weeks.',
  ],
  async run(flags, io) {
    if (!flags.lake) throw new InputError('--lake is required (the lake folder)');
    if (isS3Uri(flags.lake)) {
      throw new InputError('--lake: nsm init reads a local lake folder; a lake in S3 (through Athena) is not supported yet');
    }
    const configPath = resolve(flags.config ?? 'nsm.config.yaml');
    if (existsSync(configPath) && !flags.force) throw new InputError(`${configPath} exists; --force overwrites it`);
    const configDir = dirname(configPath);
    const lakeDir = resolve(flags.lake);
    const { profile, columns } = await profileLocalLake(lakeDir, relativeFrom(configDir, lakeDir));
    const text = starterConfig(profile, columns, {
      schema: configSchemaPathFrom(configDir),
      results: flags.results ?? 'nsm-results',
      today: dayInZone(io.now(), 'UTC'),
    });
    await writeFile(configPath, text);
    // What was written must load: a guess the loader rejects is a bug here, and says so.
    const config = await loadConfig(configPath, {});
    io.out(
      `${configPath}: written from ${lakeDir}\n` +
        `  ${profile.format}, partition '${profile.partition}', ${profile.days} days ${profile.firstDay} … ${profile.lastDay}, ${profile.events.length} event names\n` +
        `  columns (guessed): user=${columns.user} account=${columns.account ?? '-'} event=${columns.event}${columns.time ? ` time=${columns.time}` : ''}\n` +
        `  north star (guessed): ${config.north_star}; ${config.metrics.length} metrics${config.candidates ? `, ${config.candidates.actions.length} candidate actions` : ''}\n` +
        `Next: nsm validate --config ${configPath} --lake --date ${profile.lastDay}\n`,
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
