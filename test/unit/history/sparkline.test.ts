import { describe, expect, it } from 'vitest';
import { sparkline } from '../../../src/history/sparkline.js';
import { median } from '../../../src/history/trend.js';

describe('sparkline', () => {
  it('draws the smallest value lowest and the largest highest, linearly between', () => {
    expect(sparkline([1000, 8000, 4500, 2000])).toBe('▁█▅▂');
  });

  it('shows a run without a measurement as a gap, not as zero', () => {
    expect(sparkline([3000, null, 5000])).toBe('▁·█');
    expect(sparkline([null, null])).toBe('··');
  });

  it('draws equal values mid-height', () => {
    expect(sparkline([2500, 2500, null, 2500])).toBe('▄▄·▄');
    expect(sparkline([7000])).toBe('▄');
  });

  it('is empty for no runs', () => {
    expect(sparkline([])).toBe('');
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([1, 2, 9])).toBe(2);
    expect(median([1, 2, 4, 9])).toBe(3);
    expect(median([])).toBeNull();
  });
});
