import { describe, expect, it } from 'vitest';
import { closest, didYouMean, fieldPath, kindOf, quoted } from '../../../../functions/core/config/messages';

describe('fieldPath', () => {
  it.each<[PropertyKey[], string]>([
    [[], ''],
    [['north_star'], 'north_star'],
    [['metrics', 3, 'window_days'], 'metrics[3].window_days'],
    [['tree', 'posting_teams_weekly', 1], 'tree.posting_teams_weekly[1]'],
    [['alerts', 'watch', 0], 'alerts.watch[0]'],
    [['tree', 'new teams'], "tree['new teams']"],
    [['a-b'], "['a-b']"],
  ])('%j -> %s', (segments, expected) => {
    expect(fieldPath(segments)).toBe(expected);
  });
});

describe('quoted', () => {
  it.each<[unknown, string]>([
    ['foo', "'foo'"],
    ["it's", "'it\\'s'"],
    ['say "hi"', `'say "hi"'`],
    ['a\\b', "'a\\\\b'"],
    ['a\nb\tc', "'a\\nb\\tc'"],
    ['x\u2028y\u2029', "'x\\u2028y\\u2029'"],
    ['x'.repeat(61), `'${'x'.repeat(60)}…'`],
    [5, '5'],
    [true, 'true'],
  ])('%j -> %s', (value, expected) => {
    expect(quoted(value)).toBe(expected);
  });
});

describe('kindOf', () => {
  it.each<[unknown, string]>([
    [undefined, 'nothing'],
    [null, 'an empty value'],
    [[1], 'a list'],
    ['x', 'a string'],
    [1, 'a number'],
    [Number.NaN, 'NaN'],
    [false, 'false'],
    [{}, 'a mapping'],
  ])('%j -> %s', (value, expected) => {
    expect(kindOf(value)).toBe(expected);
  });
});

describe('closest / didYouMean', () => {
  const keys = ['window_days', 'events', 'name', 'id'];
  it('suggests a key one or two edits away', () => {
    expect(closest('window_day', keys)).toBe('window_days');
    expect(closest('evnts', keys)).toBe('events');
    expect(closest('Name', keys)).toBe('name');
  });
  it('suggests nothing for words far from every option', () => {
    expect(closest('retention', keys)).toBeUndefined();
    // Short words allow fewer edits: 'ix' is 1 edit from 'id' and allowed, 'xy' is 2 and is not.
    expect(closest('ix', keys)).toBe('id');
    expect(closest('xy', keys)).toBeUndefined();
  });
  it('formats the hint', () => {
    expect(didYouMean('new_team', ['new_teams'])).toBe(" (did you mean 'new_teams'?)");
    expect(didYouMean('foo', ['new_teams'])).toBe('');
  });
});
