import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../functions/core/config/parse';
import { ConfigError, InputError } from '../../../functions/core/errors';
import { bundledConfigPath, loadConfig } from '../../../functions/wiring/load-config';
import { EXAMPLE_TEXT } from '../core/config/fixture';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nsm-load-config-'));
  await mkdir(join(dir, 'project', 'conf'), { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(name: string, text: string): Promise<string> {
  const path = join(dir, 'project', 'conf', name);
  await writeFile(path, text);
  return path;
}

describe('loadConfig', () => {
  it("parses the example and resolves relative local folders against the config file's folder", async () => {
    const path = await writeConfig('example.yaml', EXAMPLE_TEXT.replace('./demo/results', '../results'));
    const config = await loadConfig(path, {});
    expect(config.lake.location).toBe(join(dir, 'project', 'conf', 'demo', 'lake'));
    expect(config.results.location).toBe(join(dir, 'project', 'results'));
    expect(config.source).toBe(path);
    // Everything else is exactly what the pure parser returns.
    const parsed = parseConfig(EXAMPLE_TEXT, path);
    expect({ ...config, lake: { ...config.lake, location: '' }, results: { location: '' } }).toEqual({
      ...parsed,
      lake: { ...parsed.lake, location: '' },
      results: { location: '' },
    });
  });

  it('resolves against the config file even when its path is relative to the working folder', async () => {
    const path = await writeConfig('relative.yaml', EXAMPLE_TEXT);
    const given = relative(process.cwd(), path);
    const config = await loadConfig(given, {});
    expect(config.lake.location).toBe(join(dir, 'project', 'conf', 'demo', 'lake'));
    expect(config.source).toBe(given);
  });

  it('leaves absolute folders and s3:// locations alone', async () => {
    const text = EXAMPLE_TEXT.replace('location: ./demo/lake', 'location: s3://acme-events/lake').replace(
      'location: ./demo/results',
      'location: /srv/nsm/results',
    );
    const config = await loadConfig(await writeConfig('abs.yaml', text), {});
    expect(config.lake.location).toBe('s3://acme-events/lake');
    expect(config.results.location).toBe('/srv/nsm/results');
  });

  it('rejects a results folder that lies inside the lake once both are resolved (one relative, one absolute)', async () => {
    const lake = join(dir, 'project', 'conf', 'demo', 'lake');
    const path = await writeConfig('inside.yaml', EXAMPLE_TEXT.replace('location: ./demo/results', `location: ${join(lake, 'nsm')}`));
    const error = await loadConfig(path, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `${path}: results.location: '${join(lake, 'nsm')}' lies inside lake.location '${lake}'; the lake's readers would see the results (use a folder beside the lake)`,
    );
  });

  it('rejects NSM_RESULTS_BUCKET/PREFIX that put the results inside an S3 lake', async () => {
    const path = await writeConfig('s3-lake.yaml', EXAMPLE_TEXT.replace('location: ./demo/lake', 'location: s3://acme-events/lake'));
    await expect(loadConfig(path, { NSM_RESULTS_BUCKET: 'acme-events', NSM_RESULTS_PREFIX: 'lake/nsm' })).rejects.toThrow(
      `${path}: results.location: 's3://acme-events/lake/nsm' lies inside lake.location 's3://acme-events/lake'`,
    );
  });

  it('reports a missing file', async () => {
    const path = join(dir, 'nope.yaml');
    await expect(loadConfig(path, {})).rejects.toThrow(new InputError(`config file not found: ${path}`));
    await expect(loadConfig(path, {})).rejects.toBeInstanceOf(InputError);
  });

  it('reports a folder given as the config', async () => {
    const path = join(dir, 'project');
    await expect(loadConfig(path, {})).rejects.toThrow(`cannot read config file ${path}: is a folder`);
  });

  it('passes config errors through, naming the file as given', async () => {
    const path = await writeConfig('bad.yaml', EXAMPLE_TEXT.replace('north_star: posting_teams_weekly', 'north_star: foo'));
    const error = await loadConfig(path, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`${path}: north_star: unknown metric 'foo'`);
  });

  it("applies the environment's overrides it is given, and no others", async () => {
    const text = EXAMPLE_TEXT.replace('location: ./demo/results', 'location: s3://acme-results/nsm');
    const path = await writeConfig('env.yaml', text);
    const topic = 'arn:aws:sns:us-east-1:123456789012:from-env';
    expect((await loadConfig(path, {})).alerts.sns_topic_arn).toBe('arn:aws:sns:us-east-1:123456789012:nsm-alerts');
    const config = await loadConfig(path, { NSM_SNS_TOPIC_ARN: topic, NSM_RESULTS_BUCKET: 'other', NSM_RESULTS_PREFIX: 'p' });
    expect(config.alerts.sns_topic_arn).toBe(topic);
    expect(config.results.location).toBe('s3://other/p');
  });
});

describe('bundledConfigPath', () => {
  it('is NSM_CONFIG_PATH, else nsm.config.yaml in the Lambda task root', () => {
    expect(bundledConfigPath({ NSM_CONFIG_PATH: '/var/task/x.json', LAMBDA_TASK_ROOT: '/var/task' })).toBe('/var/task/x.json');
    expect(bundledConfigPath({ LAMBDA_TASK_ROOT: '/var/task' })).toBe('/var/task/nsm.config.yaml');
    expect(bundledConfigPath({ NSM_CONFIG_PATH: '' })).toBe('./nsm.config.yaml');
  });
});
