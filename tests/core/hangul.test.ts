import { describe, expect, it } from 'vitest';
import { hasHangul, isInitialsQuery, toInitials, toJamo } from '../../src/query/hangul.ts';

describe('Hangul decomposition', () => {
  it('splits syllables into the keys typed for them', () => {
    expect(toJamo('이스티오')).toBe('ㅇㅣㅅㅡㅌㅣㅇㅗ');
    expect(toJamo('쿠버네티스')).toBe('ㅋㅜㅂㅓㄴㅔㅌㅣㅅㅡ');
  });

  it('splits compound vowels and final clusters so half-typed syllables are prefixes', () => {
    expect(toJamo('쉘')).toBe('ㅅㅜㅔㄹ');
    expect(toJamo('닭')).toBe('ㄷㅏㄹㄱ');
    expect(toJamo('이스티오').startsWith(toJamo('잇'))).toBe(true);
  });

  it('takes the initial consonants of each syllable', () => {
    expect(toInitials('이스티오')).toBe('ㅇㅅㅌㅇ');
    expect(toInitials('코어DNS')).toBe('ㅋㅇ');
  });

  it('tells initial-consonant queries from other text', () => {
    expect(isInitialsQuery('ㅇㅅㅌㅇ')).toBe(true);
    expect(isInitialsQuery('ㅋㅂ ㄴㅌㅅ')).toBe(true);
    expect(isInitialsQuery('ㅇ')).toBe(false);
    expect(isInitialsQuery('이스ㅌ')).toBe(false);
    expect(isInitialsQuery('ㅏㅏ')).toBe(false);
  });

  it('detects Hangul anywhere in the text', () => {
    expect(hasHangul('what is 이스티오')).toBe(true);
    expect(hasHangul('ㅇㅅ')).toBe(true);
    expect(hasHangul('istio')).toBe(false);
  });
});
