import { describe, expect, it } from 'vitest';
import type { MetricConfig, NsmConfig } from '../../../../functions/core/config/types';
import { segmentedMetrics, segmentPlan, volumeEvents } from '../../../../functions/core/segments/segmented-metrics';

const count = (id: string, events?: string[]) => ({ id, name: id, type: 'count', events, window_days: 1 }) as MetricConfig;
const metrics: MetricConfig[] = [
  count('posts', ['post']),
  count('signups', ['signup']),
  { id: 'dau', name: 'dau', type: 'distinct_users', events: undefined, window_days: 1 } as MetricConfig,
  { id: 'posts_per_dau', name: 'posts_per_dau', type: 'ratio', numerator: 'posts', denominator: 'dau' } as MetricConfig,
];
const config = (watch: string[], segments?: NsmConfig['segments']) =>
  ({ metrics, alerts: { watch }, segments }) as unknown as Pick<NsmConfig, 'metrics' | 'alerts' | 'segments'>;

describe('segmentedMetrics', () => {
  it('breaks down the watched metrics, a watched ratio through its numerator and denominator, in config order', () => {
    expect(segmentedMetrics(config(['posts_per_dau'])).map((m) => m.id)).toEqual(['posts', 'dau']);
    expect(segmentedMetrics(config(['signups'])).map((m) => m.id)).toEqual(['signups']);
    expect(segmentedMetrics(config(['signups', 'posts_per_dau'])).map((m) => m.id)).toEqual(['posts', 'signups', 'dau']);
  });
});

describe('volumeEvents', () => {
  it('is the events the broken-down metrics count, or null (every event) when one counts all', () => {
    expect(volumeEvents(segmentedMetrics(config(['signups', 'posts'])))).toEqual(['post', 'signup']);
    expect(volumeEvents(segmentedMetrics(config(['posts_per_dau'])))).toBeNull();
  });
});

describe('segmentPlan', () => {
  const segments = { dimensions: ['platform', 'country'], max_values: 5 };
  const night = (byMetric: Record<string, Record<string, Record<string, number>>>) =>
    new Map(
      Object.entries(byMetric).map(([m, dims]) => [m, new Map(Object.entries(dims).map(([d, v]) => [d, new Map(Object.entries(v))]))]),
    );

  it('is undefined without segments', () => {
    expect(segmentPlan(config(['posts']), [])).toBeUndefined();
  });

  it("keeps named every value a broken-down metric had on an earlier night (not 0, not (none) or (other), not an unwatched metric's)", () => {
    const earlier = [
      night({ posts: { platform: { ios: 3, android: 0, '(none)': 2, '(other)': 9 }, country: { de: 1 } } }),
      null, // a night without segments
      night({ posts: { platform: { web: 1 } }, signups: { platform: { tv: 4 } } }),
    ];
    expect(segmentPlan(config(['posts'], segments), earlier)).toEqual({
      dimensions: [
        { column: 'platform', named: ['ios', 'web'] },
        { column: 'country', named: ['de'] },
      ],
      maxValues: 5,
      volumeEvents: ['post'],
    });
  });
});
