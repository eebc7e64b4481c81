import { describe, expect, it } from 'vitest';
import { parseBenchArgs, wantsHelp } from '../../../bench/args';

describe('parseBenchArgs', () => {
  it('defaults to the full benchmark (docs/performance.md)', () => {
    expect(parseBenchArgs([])).toEqual({
      quick: false,
      fresh: false,
      reps: 5,
      events: 4_500_000,
      days: 230,
      prepareNights: 28,
      formats: ['json', 'parquet'],
      histories: [1, 2],
      skipSeed: false,
      skipTrace: false,
      skipFirstNight: false,
      formatPairs: 20,
      segmentPairs: 10,
      sweepPairs: 10,
      out: '.bench/results.md',
      nsmDir: null,
      baselineDir: null,
      baselinePairs: 0,
      setting: null,
      settingPairs: 0,
    });
  });

  it('--setting KEY.PATH=VALUE: the path and the YAML value, 10 pairs unless --setting-pairs says otherwise', () => {
    expect(parseBenchArgs(['--setting', 'alerts.freshness.recheck_nights=0'])).toMatchObject({
      setting: { path: ['alerts', 'freshness', 'recheck_nights'], value: '0', text: 'alerts.freshness.recheck_nights=0' },
      settingPairs: 10,
    });
    expect(parseBenchArgs(['--setting=alerts.digest={ every: off }', '--setting-pairs', '3'])).toMatchObject({
      setting: { path: ['alerts', 'digest'], value: '{ every: off }' },
      settingPairs: 3,
    });
    expect(() => parseBenchArgs(['--setting', 'recheck_nights'])).toThrow('--setting: expected KEY.PATH=VALUE');
    expect(() => parseBenchArgs(['--setting', 'alerts..x=1'])).toThrow('--setting: expected KEY.PATH=VALUE');
  });

  it('--baseline DIR: 10 pairs unless --baseline-pairs says otherwise', () => {
    expect(parseBenchArgs(['--baseline', '/tmp/old'])).toMatchObject({ baselineDir: '/tmp/old', baselinePairs: 10 });
    expect(parseBenchArgs(['--baseline=/tmp/old', '--baseline-pairs', '4'])).toMatchObject({ baselinePairs: 4 });
  });

  it('--quick shrinks the lakes and the repetitions, and writes elsewhere', () => {
    const o = parseBenchArgs(['--quick']);
    expect([o.events, o.days, o.reps, o.out, o.segmentPairs]).toEqual([200_000, 230, 2, '.bench/results-quick.md', 2]);
  });

  it('explicit values win over --quick, in both --x v and --x=v forms', () => {
    const o = parseBenchArgs(['--quick', '--reps', '5', '--events=300000', '--formats', 'parquet', '--histories=1']);
    expect([o.reps, o.events, o.formats, o.histories]).toEqual([5, 300_000, ['parquet'], [1]]);
  });

  it('takes the number of segments on/off pairs, 0 for none', () => {
    expect(parseBenchArgs(['--segment-pairs', '0']).segmentPairs).toBe(0);
    expect(parseBenchArgs(['--segment-pairs=3']).segmentPairs).toBe(3);
    expect(() => parseBenchArgs(['--segment-pairs', '-1'])).toThrow('--segment-pairs: expected an integer >= 0');
  });

  it('takes the number of sweep pairs (0 for none; 3 with --quick)', () => {
    expect(parseBenchArgs(['--sweep-pairs', '0']).sweepPairs).toBe(0);
    expect(parseBenchArgs(['--quick']).sweepPairs).toBe(3);
    expect(() => parseBenchArgs(['--sweep-pairs', '-1'])).toThrow("--sweep-pairs: expected an integer >= 0, got '-1'");
  });

  it('takes another nsm checkout to measure', () => {
    expect(parseBenchArgs(['--nsm', '/tmp/nsm-ab90a30']).nsmDir).toBe('/tmp/nsm-ab90a30');
  });

  it('keeps list options in canonical order without duplicates', () => {
    expect(parseBenchArgs(['--formats', 'parquet,json,json']).formats).toEqual(['json', 'parquet']);
  });

  it.each([
    [['--reps', '0'], '--reps: expected a positive integer'],
    [['--reps', 'x'], '--reps: expected a positive integer'],
    [['--reps'], '--reps needs a value'],
    [['--formats', 'csv'], '--formats: expected a comma list of json, parquet'],
    [['--histories', '3'], '--histories: expected a comma list of 1, 2'],
    [['--quick=yes'], '--quick takes no value'],
    [['--speed'], 'unknown option --speed'],
    [['quick'], "unexpected argument 'quick'"],
  ])('rejects %j', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });

  it('recognises --help and -h', () => {
    expect(wantsHelp(['--quick', '--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp(['--quick'])).toBe(false);
  });
});
