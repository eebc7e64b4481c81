import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withSetting } from '../../../bench/deployment';

const CONFIG = 'version: 1\nalerts:\n  watch: [a]   # kept\n  freshness: { min_ratio: 0.5 }\n';

describe('withSetting (bench --setting)', () => {
  it('sets a nested key, creating what is missing, and keeps the rest of the config', () => {
    const out = withSetting(CONFIG, ['alerts', 'freshness', 'recheck_nights'], '0');
    expect(parse(out)).toEqual({ version: 1, alerts: { watch: ['a'], freshness: { min_ratio: 0.5, recheck_nights: 0 } } });
    expect(out).toContain('# kept');
    expect(parse(withSetting(CONFIG, ['alerts', 'digest'], '{ every: off }')).alerts.digest).toEqual({ every: 'off' });
  });
});
