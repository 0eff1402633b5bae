import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, normalizeQuery, stripParticle } from '../../src/query/normalize.ts';

describe('query normalisation', () => {
  it.each([
    ['/orch Istio', 'istio'],
    ['ＩＳＴＩＯ！', 'istio'],
    ['  istio   ', 'istio'],
    ['<@U123ABC> istio', 'istio'],
    ['<@!123456789> envoy', 'envoy'],
    ['<!channel> istio', 'istio'],
    ['@here istio', 'istio'],
    ['what is envoy?', 'envoy'],
    ["What's Linkerd", 'linkerd'],
    ['tell me about contour', 'contour'],
    ['이스티오가 뭐야', '이스티오가'],
    ['이스티오란?', '이스티오란'],
    ['쿠버네티스 알려줘', '쿠버네티스'],
    ['쿠버네티스에 대해 알려주세요', '쿠버네티스'],
    ['엔보이가 무엇인가요?', '엔보이'],
    ['emissary-ingress', 'emissary ingress'],
  ])('normalises %j to %j', (raw, expected) => {
    expect(normalizeQuery(raw).text).toBe(expected);
  });

  it('keeps half-typed jamo as typed instead of folding them', () => {
    expect(cleanText('이스ㅌ')).toBe('이스ㅌ');
    expect(cleanText('ㅇㅅㅌㅇ')).toBe('ㅇㅅㅌㅇ');
  });

  it('does not strip a question frame that is the whole query', () => {
    expect(normalizeQuery('뭐야').text).toBe('뭐야');
  });

  it('leaves particles such as 란 and 가 to the engine, which knows which stems are names', () => {
    expect(normalizeQuery('링커디란 무엇인가요?').text).toBe('링커디');
    expect(normalizeQuery('엔보이가 뭐야').text).toBe('엔보이가');
  });

  it('strips a Korean particle only when the stem is a known word', () => {
    const known = (w: string) => w === '이스티오' || w === '쿠버네티스';
    expect(stripParticle('이스티오가', known)).toBe('이스티오');
    expect(stripParticle('쿠버네티스를', known)).toBe('쿠버네티스');
    expect(stripParticle('고양이', known)).toBe('고양이');
  });
});

describe('cleanText on plain ASCII', () => {
  // Plain ASCII takes a shorter path (most of an index build's text); a Hangul word sends the same text down the
  // general path, so both must clean the ASCII part alike.
  const asciiChar = fc.constantFrom(
    ...'aZ09 \t\n+#\'<>@!/:,.-_?"()[]*|\\&;'.split(''),
    'orch',
    '@here',
    '<@U1>',
    '<#C1|x>',
  );
  it('matches the general path for any ASCII text', () => {
    fc.assert(
      fc.property(fc.array(asciiChar, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const general = cleanText(`${text} 가`);
        const fast = cleanText(text);
        expect(general).toBe(fast === '' ? '가' : `${fast} 가`);
      }),
      { numRuns: 2000 },
    );
  });
});
