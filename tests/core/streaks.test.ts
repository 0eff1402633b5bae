import { describe, expect, it } from 'vitest';
import { streaks } from '../../src/lessons/streaks.ts';

describe('streaks', () => {
  it('counts back from the newest posted lesson, which may still be open', () => {
    expect(streaks([1, 2, 3, 4], new Set([2, 3]))).toEqual({ current: 2, best: 2 });
    expect(streaks([1, 2, 3, 4], new Set([2, 3, 4]))).toEqual({ current: 3, best: 3 });
  });

  it('breaks on a skipped lesson that has a newer one after it', () => {
    expect(streaks([1, 2, 3, 4, 5], new Set([1, 2, 3, 5]))).toEqual({ current: 1, best: 3 });
  });

  it('follows the posting order, not lesson numbers', () => {
    expect(streaks([3, 1, 2], new Set([1, 2]))).toEqual({ current: 2, best: 2 });
  });

  it('is zero for nothing done', () => {
    expect(streaks([], new Set())).toEqual({ current: 0, best: 0 });
    expect(streaks([1, 2], new Set())).toEqual({ current: 0, best: 0 });
  });
});
