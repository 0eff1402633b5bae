import { describe, expect, it } from 'vitest';
import { SELF_NAME, t } from '../../src/i18n/messages.ts';
import { endingOf, particleFor, withParticle } from '../../src/i18n/particles.ts';

describe('Korean particles chosen by the preceding word', () => {
  it.each([
    // Hangul: the final consonant decides; for 으로 a final ㄹ counts as none.
    ['쿠버네티스', '은', '쿠버네티스는'],
    ['파드', '을', '파드를'],
    ['서비스 메시', '이', '서비스 메시가'],
    ['레슨', '은', '레슨은'],
    ['정답', '으로', '정답으로'],
    ['오늘', '로', '오늘로'],
    ['3강', '으로', '3강으로'],
    ['카테고리', '이에요', '카테고리예요'],
    ['도구', '과', '도구와'],
    // Latin words, read as Korean loanwords.
    ['Kubernetes', '은', 'Kubernetes는'],
    ['Istio', '은', 'Istio는'],
    ['Linkerd', '을', 'Linkerd를'],
    ['Helm', '은', 'Helm은'],
    ['Cilium', '이', 'Cilium이'],
    ['Tekton', '과', 'Tekton과'],
    ['Crossplane', '을', 'Crossplane을'],
    ['Kong', '은', 'Kong은'],
    ['Rook', '이', 'Rook이'],
    ['Traefik', '을', 'Traefik을'],
    ['Docker', '은', 'Docker는'],
    ['Harbor', '으로', 'Harbor로'],
    ['Knative', '은', 'Knative는'],
    ['Portal', '으로', 'Portal로'],
    ['resume', '으로', 'resume으로'],
    // Acronyms and vowel-less words are spelled: D 디, S 에스, L 엘, M 엠, R 알.
    ['etcd', '은', 'etcd는'],
    ['k8s', '을', 'k8s를'],
    ['CNCF', '은', 'CNCF는'],
    ['KEDA', '이', 'KEDA가'],
    ['HTML', '로', 'HTML로'],
    ['RBAC', '은', 'RBAC는'],
    ['KR', '으로', 'KR로'],
    ['IAM', '은', 'IAM은'],
    // Numbers as read in Sino-Korean.
    ['1', '은', '1은'],
    ['2', '은', '2는'],
    ['3', '이', '3이'],
    ['10', '을', '10을'],
    ['19', '을', '19를'],
    ['7', '으로', '7로'],
    ['6', '으로', '6으로'],
    // A quoted or bracketed word: the particle follows the word inside.
    ['"istio"', '은', '"istio"는'],
    ['"파드 기초"', '을', '"파드 기초"를'],
    ['`helm`', '을', '`helm`을'],
    // Option letters of a quiz: B 비, A 에이.
    ['B', '로', 'B로'],
    ['A', '이에요', 'A예요'],
  ])('%s + %s = %s', (word, particle, expected) => {
    expect(withParticle(word, particle)).toBe(expected);
  });

  it('takes either form of a particle as its name', () => {
    for (const [a, b] of [
      ['은', '는'],
      ['이', '가'],
      ['을', '를'],
      ['과', '와'],
      ['으로', '로'],
    ] as const) {
      expect(particleFor('Kubernetes', a)).toBe(particleFor('Kubernetes', b));
      expect(particleFor('Helm', a)).toBe(particleFor('Helm', b));
    }
    expect(endingOf('서울')).toBe('rieul');
  });

  it('t() fills {name:은} with the particle that fits the filled-in word', () => {
    expect(t('ko', 'quiz.received', { option: 'B' })).toBe('B로 답했어요. 시간이 끝나면 정답을 공개해요.');
    expect(t('ko', 'review.wrong', { option: 'C', explanation: '설명이에요.', when: '내일' })).toContain(
      '정답은 C예요.',
    );
    expect(t('ko', 'review.wrong', { option: 'L', explanation: '', when: '내일' })).toContain(
      '정답은 L이에요.',
    );
  });
});

describe('English plurals', () => {
  it('says "1 lesson in a row" and "2 lessons in a row"', () => {
    expect(t('en', 'progress.lessons', { count: 1 })).toBe('1 lesson in a row');
    expect(t('en', 'progress.lessons', { count: 2 })).toBe('2 lessons in a row');
    expect(t('en', 'progress.lessons', { count: 0 })).toBe('0 lessons in a row');
  });

  it('counts tools, lessons, questions and points in the right number', () => {
    expect(t('en', 'admin.reloaded', { tools: 1, lessons: 40, questions: 1 })).toBe(
      'Catalog reloaded: 1 tool, 40 lessons, 1 quiz question.',
    );
    expect(t('en', 'quiz.scoreLine', { rank: 1, name: 'Alex', points: 1, correct: 1, answered: 1 })).toBe(
      '1. Alex: 1 point (1/1 right)',
    );
    expect(t('en', 'done.recorded', { number: 3, streak: 1, done: 3, total: 40 })).toBe(
      'Lesson 3 marked done. Streak: 1 lesson. Done so far: 3/40.',
    );
  });
});

describe('the person at the console', () => {
  it('is 나 in Korean and you in English', () => {
    expect(t('ko', 'quiz.stopped', { name: SELF_NAME })).toBe(
      '라운드를 멈췄어요 (멈춘 사람: 나). 지금까지 점수:',
    );
    expect(t('en', 'quiz.stopped', { name: SELF_NAME })).toBe('Round stopped by you. Scores so far:');
    expect(t('ko', 'quiz.fastest', { name: SELF_NAME, seconds: 3 })).toBe('가장 빠른 정답: 나 (3초)');
  });
});
