import { describe, expect, it } from 'vitest';
import { completenessText } from '../../../../../functions/core/report/sections/headline';
import type { DataCompleteness } from '../../../../../functions/core/results/report';

const DT = '2024-03-31';
const data = (d: Partial<DataCompleteness>): DataCompleteness => ({
  day_events: 0,
  partition_missing: false,
  partition_empty: false,
  baseline_events: 6170,
  ratio: 0,
  status: 'incomplete',
  ...d,
});

describe('completenessText', () => {
  it('says a missing partition is missing', () => {
    expect(completenessText(data({ partition_missing: true }), DT)).toBe('Incomplete: no data for this night (partition missing).');
  });

  it('says an empty partition (files present, no events) is empty, not missing', () => {
    expect(completenessText(data({ partition_empty: true }), DT)).toBe(
      'Incomplete: the partition for this night is in the lake but holds no events (partition empty).',
    );
  });

  it('gives counts for a partition with events', () => {
    expect(completenessText(data({ day_events: 1234, ratio: 0.2 }), DT)).toBe(
      'Incomplete: 1,234 events, only 20.0% of the usual Sunday (6,170).',
    );
  });
});
