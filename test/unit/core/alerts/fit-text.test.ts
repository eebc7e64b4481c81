import { describe, expect, it } from 'vitest';
import { fitFields, oneLine, textLength, truncate } from '../../../../functions/core/alerts/fit-text';

describe('truncate', () => {
  it('leaves short text alone and cuts long text to at most max, ending in ...', () => {
    expect(truncate('Weekly teams', 12)).toBe('Weekly teams');
    expect(truncate('Weekly active teams', 12)).toBe('Weekly ac...');
    expect(truncate('Weekly active teams', 10)).toBe('Weekly...'); // the space before the dots is dropped
    expect(truncate('abcdefghij', 8)).toBe('abcde...');
    expect(truncate('abcdefghij', 3)).toBe('...');
    expect(truncate('abcdefghij', 2)).toBe('..');
  });

  it('counts code points and never splits an emoji', () => {
    expect(textLength('🚀 launches')).toBe(10);
    expect(truncate('🚀🚀🚀🚀🚀🚀', 5)).toBe('🚀🚀...');
  });
});

describe('oneLine', () => {
  it('turns line breaks and control characters into single spaces', () => {
    expect(oneLine(' a\nb\r\n\tc\u0007d\u2028e  ')).toBe('a b c d e');
  });
});

describe('fitFields', () => {
  const render = ([a, b]: readonly string[]) => `X ${a} | ${b} 12,345`;

  it('returns the text unchanged when it fits', () => {
    expect(fitFields(render, ['short', 'names'], 100, 4)).toBe('X short | names 12,345');
  });

  it('shortens the longest field first and never touches the rest', () => {
    const out = fitFields(render, ['a'.repeat(40), 'b'.repeat(10)], 40, 4)!;
    expect(textLength(out)).toBeLessThanOrEqual(40);
    expect(out).toMatch(/^X a+\.\.\. \| b{10} 12,345$/);
  });

  it('shares the cut when both fields are long', () => {
    const out = fitFields(render, ['a'.repeat(50), 'b'.repeat(50)], 50, 4)!;
    expect(textLength(out)).toBeLessThanOrEqual(50);
    const [a, b] = out.slice(2, -7).split(' | ');
    expect(Math.abs(a!.length - b!.length)).toBeLessThanOrEqual(1);
  });

  it('returns null when even minimal fields do not fit', () => {
    expect(fitFields(render, ['a'.repeat(40), 'b'.repeat(40)], 20, 6)).toBeNull();
  });
});
