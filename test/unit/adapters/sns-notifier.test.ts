import { describe, expect, it } from 'vitest';
import { snsAttributes, snsMessage, snsSubject } from '../../../functions/adapters/sns-notifier';
import type { AlertRow } from '../../../functions/core/results/rows';

describe('snsSubject', () => {
  it.each([
    ['plain', 'plain'],
    ['  padded  ', 'padded'],
    ['a\r\nb', 'a b'],
    ['tab\there', 'tab here'],
    ['bell\u0007x', 'bell x'],
    ['del\u007fx', 'del x'],
    ['ünïcode → ok', 'ünïcode → ok'],
    ['', 'FALLBACK'],
    ['\n\t', 'FALLBACK'],
  ])('%j -> %j', (input, expected) => expect(snsSubject(input, 'FALLBACK')).toBe(expected));

  it('keeps 99 characters as they are and cuts 100 to 99 with an ellipsis', () => {
    const ok = 'a'.repeat(99);
    expect(snsSubject(ok, 'f')).toBe(ok);
    const cut = snsSubject('b'.repeat(100), 'f');
    expect(cut).toBe(`${'b'.repeat(98)}…`);
    expect(cut.length).toBe(99);
  });

  it('counts code points and never splits a surrogate pair', () => {
    const cut = snsSubject('😀'.repeat(120), 'f');
    expect(Array.from(cut)).toHaveLength(99);
    expect(cut.endsWith('😀…')).toBe(true);
  });
});

describe('snsMessage / snsAttributes', () => {
  const alert = { dt: '2024-05-01', kind: 'drop', metric_id: 'nsm', message: 'full\ntext', sms: 'one line' } as AlertRow;
  it('builds the json-structured message', () => {
    expect(JSON.parse(snsMessage(alert))).toEqual({ default: 'full\ntext', email: 'full\ntext', sms: 'one line' });
  });
  it('builds string attributes', () => {
    expect(snsAttributes(alert, { alertId: 'drop-0123456789abcdef', attempt: 'c' })).toEqual({
      alert_kind: { DataType: 'String', StringValue: 'drop' },
      kind: { DataType: 'String', StringValue: 'drop' },
      dt: { DataType: 'String', StringValue: '2024-05-01' },
      // The same on every attempt to send this alert: subscribers can drop a second copy.
      alert_id: { DataType: 'String', StringValue: 'drop-0123456789abcdef' },
      metric_id: { DataType: 'String', StringValue: 'nsm' },
    });
  });
  it('adds the incident of an incident alert', () => {
    const recovered = { ...alert, kind: 'recovered', incident_id: 'nsm:2024-04-28', night_of_incident: 4 } as AlertRow;
    expect(snsAttributes(recovered, { alertId: 'recovered-0123456789abcdef', attempt: 'c' }).incident_id).toEqual({
      DataType: 'String',
      StringValue: 'nsm:2024-04-28',
    });
  });
});
