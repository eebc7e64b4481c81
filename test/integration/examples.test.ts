/**
 * examples/local.config.yaml runs as its header says: over the demo's lake (`../demo/lake` from
 * the examples folder), one night through `nsm run`, every metric and candidate computed.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main';
import { generateDemoLake } from '../../functions/demo/generate-lake';
import { tempDir } from '../support/lake';

const ROOT = resolve(import.meta.dirname, '../..');
const END = '2025-06-30';

describe('examples/local.config.yaml', () => {
  it('runs a night over the demo lake laid out as in a clone', async () => {
    const clone = tempDir('nsm-example-local-');
    await generateDemoLake({ dir: join(clone, 'demo', 'lake'), endDay: END, days: 150, events: 20_000 });
    mkdirSync(join(clone, 'examples'));
    const config = join(clone, 'examples', 'local.config.yaml');
    copyFileSync(join(ROOT, 'examples', 'local.config.yaml'), config);

    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => void err.push(t), now: () => new Date(`${END}T12:00:00Z`), env: {} };
    expect(await main(['run', '--config', config, '--date', END], io), err.join('')).toBe(0);

    const night = join(clone, 'demo', 'example-results', 'metrics', `dt=${END}`, 'metrics.jsonl');
    const metrics = readFileSync(night, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { metric_id: string; value: number | null });
    expect(metrics.map((m) => m.metric_id).sort()).toEqual([
      'call_minutes',
      'daily_active_users',
      'messages_posted',
      'new_teams',
      'posting_teams_weekly',
      'posts_per_active_user',
      'weekly_active_users',
    ]);
    // Every event the example names is in the demo lake: no metric is a silent zero.
    for (const m of metrics) expect(m.value, m.metric_id).toBeGreaterThan(0);
    const candidates = readFileSync(join(clone, 'demo', 'example-results', 'candidates', `dt=${END}`, 'candidates.jsonl'), 'utf8');
    expect(candidates.trim().split('\n')).toHaveLength(3);
  });
});
