import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw, safeId } from '../../../../functions/core/report/escape';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
  it('leaves other text alone, including non-ASCII', () => {
    expect(escapeHtml('Invites · ünïcode ✓ 3+')).toBe('Invites · ünïcode ✓ 3+');
  });
});

describe('html', () => {
  it('escapes interpolated strings', () => {
    expect(html`<p title="${'"><script>'}">${'<b>'}</p>`.value).toBe('<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;</p>');
  });
  it('keeps SafeHtml and nested templates, joins arrays, drops null/undefined/false', () => {
    const inner = html`<i>${'a&b'}</i>`;
    expect(html`${inner}${[raw('<br>'), 'x<']}${null}${undefined}${false}`.value).toBe('<i>a&amp;b</i><br>x&lt;');
  });
  it('prints finite numbers and nothing for NaN/Infinity', () => {
    expect(html`${1.5}|${Number.NaN}|${Infinity}|${-0}`.value).toBe('1.5|||0');
  });
});

describe('safeId', () => {
  it.each([
    ['trend-wide', 'trend-wide'],
    ['Spark 1', 'spark-1'],
    ['"><x', 'x'],
    ['9lives', 'x-9lives'],
  ])('%s → %s', (input, out) => expect(safeId(input)).toBe(out));
});
