import { describe, expect, it } from 'vitest';
import { checkTargets, passLabel, type VariantFigures } from '../../../bench/targets';

const v = (format: 'json' | 'parquet', history: number, night: number, over: Partial<VariantFigures> = {}): VariantFigures => ({
  format,
  history,
  night,
  nightRss: 500e6,
  floorAll: night / 1.2,
  bytesRead: 1000 * history,
  ...over,
});

describe('checkTargets', () => {
  const variants = [v('json', 1, 1000), v('json', 2, 1250), v('parquet', 1, 800), v('parquet', 2, 900, { nightRss: 1.1e9 })];
  const checks = checkTargets(variants, { ms: 12_000, agreement: 'agree' });
  const byName = new Map(checks.map((c) => [c.target, c]));

  it('seed / night passes at 10× or more', () => {
    expect(byName.get('1. seed method / night (json 1×)')).toMatchObject({ measured: '12.0×', pass: true });
  });

  it('peak RSS is checked against 10^9 bytes', () => {
    expect(byName.get('1. night peak RSS (json 1×)')!.pass).toBe(true);
    expect(byName.get('1. night peak RSS (parquet 2×)')!.pass).toBe(false);
  });

  it('night / floor passes at 1.5× or less', () => {
    expect(byName.get('2. night / floor (json 1×)')).toMatchObject({ measured: '1.20×', pass: true });
  });

  it('history growth passes at 1.2× or less', () => {
    expect(byName.get('3. night 2× / night 1× (json)')).toMatchObject({ measured: '1.25×', pass: false });
    expect(byName.get('3. night 2× / night 1× (parquet)')).toMatchObject({ measured: '1.13×', pass: true });
  });

  it('bytes read growth is reported without a verdict', () => {
    expect(byName.get('4. bytes read 2× / 1× (json)')).toMatchObject({ pass: null });
  });

  it('Parquet must be faster than JSON in paired rounds, consistently enough for a sign test', () => {
    // Parquet faster in all 5 pairs: p = 0.5^5 = 0.03125 (scipy.stats.binomtest(5, 5, alternative='greater')).
    const json = [1000, 1100, 900, 1050, 980];
    const parquet = [900, 1000, 850, 1000, 900];
    const checks = checkTargets(
      [v('json', 1, 1000, { firstNightRounds: json }), v('parquet', 1, 900, { firstNightRounds: parquet })],
      null,
    );
    expect(checks.find((x) => x.target === '5. json / parquet, first night (1×)')).toMatchObject({
      measured: '1.09× (parquet faster in 5/5 pairs, p = 0.031)',
      pass: true,
    });
  });

  it('a faster median is not enough when Parquet wins too few pairs', () => {
    // 4 of 5 pairs: p = 0.1875 (scipy.stats.binomtest(4, 5, alternative='greater')).
    const json = [1000, 1100, 900, 1050, 980];
    const parquet = [900, 1000, 950, 1000, 900];
    const checks = checkTargets(
      [
        v('json', 1, 1000, { lakeStepRounds: json, firstNightRounds: [5000, 5200, 5100] }),
        v('parquet', 1, 900, { lakeStepRounds: parquet, firstNightRounds: [2500, 2600, 2400] }),
      ],
      null,
    );
    const byTarget = new Map(checks.map((c) => [c.target, c]));
    expect(byTarget.get("5. json / parquet, a steady night's lake reads (1×)")).toMatchObject({
      measured: '1.09× (parquet faster in 4/5 pairs, p = 0.19)',
      pass: false,
    });
    // Three pairs can never get under 0.05 (0.5^3 = 0.125): not judged, and the note says why.
    const first = byTarget.get('5. json / parquet, first night (1×)')!;
    expect(first).toMatchObject({ measured: '2.00× (parquet faster in 3/3 pairs, p = 0.13)', pass: null });
    expect(first.note).toContain('use 5 or more');
  });

  it('Parquet slower fails', () => {
    const checks = checkTargets(
      [v('json', 1, 900, { lakeStepRounds: [90, 90, 90, 90, 90] }), v('parquet', 1, 1000, { lakeStepRounds: [100, 100, 100, 100, 100] })],
      null,
    );
    expect(checks.find((x) => x.target.includes('lake reads'))).toMatchObject({
      measured: '0.90× (parquet faster in 0/5 pairs, p = 1.0)',
      pass: false,
    });
  });

  it('leaves out the whole steady night when it was not measured', () => {
    const checks = checkTargets(
      [v('json', 1, 1000, { firstNightRounds: [1, 1, 1, 1, 1] }), v('parquet', 1, 900, { firstNightRounds: [1, 1, 1, 1, 1] })],
      null,
    );
    expect(checks.some((c) => c.target.includes('whole steady night'))).toBe(false);
  });

  it('shows the whole steady night without judging it', () => {
    const checks = checkTargets(
      [
        v('json', 1, 1000, { nightRounds: [1000, 1000, 1000, 1000, 1000] }),
        v('parquet', 1, 900, { nightRounds: [990, 1010, 990, 1010, 990] }),
      ],
      null,
    );
    const whole = checks.find((x) => x.target === '5. json / parquet, whole steady night (1×)')!;
    expect(whole).toMatchObject({ measured: '1.01× (parquet faster in 3/5 pairs, p = 0.50)', pass: null });
    expect(whole.note).toContain('not judged');
    expect(whole.goal).toBe('none: shown for context');
  });

  it('a seed ratio is not judged when the results disagree', () => {
    const [c] = checkTargets([v('json', 1, 1000)], { ms: 50_000, agreement: 'disagree' });
    expect(c).toMatchObject({ pass: null, note: 'INVALID: results disagree' });
  });

  it('skips comparisons whose variants were not measured', () => {
    const only = checkTargets([v('json', 1, 1000)], null).map((c) => c.target);
    expect(only).toEqual(['1. night peak RSS (json 1×)', '2. night / floor (json 1×)']);
  });

  it('labels results', () => {
    expect([passLabel(true), passLabel(false), passLabel(null)]).toEqual(['pass', 'FAIL', 'n/a']);
  });
});
