/**
 * docs/alerts.md shows every alert kind's subject, email and SMS exactly as the formatters write
 * them: the doc's marked example blocks are compared with the formatters' output
 * (scripts/alert-doc-examples.ts). Regenerate with `npm run docs:alerts`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertExamples, exampleMarkers, withAlertExamples } from '../../../scripts/alert-doc-examples';

const DOC = resolve(import.meta.dirname, '../../../docs/alerts.md');

describe('docs/alerts.md', () => {
  const doc = readFileSync(DOC, 'utf8');

  it('shows the subject, email and SMS of every example, each kind included', () => {
    const names = Object.keys(alertExamples());
    expect(names).toEqual(expect.arrayContaining(['drop', 'still_down', 'recovered', 'data_incomplete', 'digest']));
    const expected = names.flatMap((n) => ['subject', 'message', 'sms'].map((p) => `${n}.${p}`));
    expect(new Set(exampleMarkers(doc))).toEqual(new Set(expected));
  });

  it('shows them exactly as the formatters write them (run `npm run docs:alerts` after changing a text)', () => {
    expect(withAlertExamples(doc)).toBe(doc);
  });

  it('would notice a changed text', () => {
    const examples = alertExamples();
    const changed = { ...examples, recovered: { ...examples.recovered!, sms: 'something else' } };
    expect(withAlertExamples(doc, changed)).not.toBe(doc);
  });
});
