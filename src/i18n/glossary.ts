/**
 * One term for one thing, in both languages. Every user-facing text (messages, command aliases, the lesson and
 * roadmap UI) uses the chosen term; the rejected variants are what a reader met before and must not meet again
 * (tests/core/glossary.test.ts holds that). A rejected variant that is one word a person may still type (강의,
 * 리더보드) keeps working as input: `command` says which command it selects.
 */
export interface GlossaryEntry {
  /** What the term names. */
  concept: string;
  ko: string;
  en: string;
  /** Patterns that must not appear in a Korean text (a string matches as a plain substring). */
  rejectedKo: readonly (string | RegExp)[];
  /** Patterns that must not appear in an English text (a string matches as a whole word, any case). */
  rejectedEn: readonly (string | RegExp)[];
  /** The command a rejected one-word variant still selects when typed. */
  command?: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    // The catalog's prose had three words for this (조정, 조율, 코디네이션), and 조정 also meant reconcile.
    concept: 'coordination between distributed parts (leader election, locks, shared configuration)',
    ko: '조율',
    en: 'coordination',
    rejectedKo: ['코디네이션'],
    rejectedEn: [],
  },
  {
    // A controller driving the actual state toward the desired one; 조율 is coordination, so it cannot be rejected
    // here, and tests/core/catalog-facts.test.ts holds the catalog's use of both words.
    concept: 'reconcile: driving the actual state toward the desired state',
    ko: '조정',
    en: 'reconcile',
    rejectedKo: [],
    rejectedEn: [],
  },
  {
    concept: 'one posted unit of the roadmap',
    ko: '레슨',
    en: 'lesson',
    rejectedKo: ['강의', '수업', '강좌'],
    rejectedEn: ['lecture', 'class'],
    command: 'lesson',
  },
  {
    // "3강" is how a Korean course counts its lessons; "3번 레슨" and "레슨 3" were both in use before.
    concept: 'a lesson by its number',
    ko: '{n}강',
    en: 'lesson {n}',
    // `/orch 레슨 3` is command syntax, not a name for the lesson.
    rejectedKo: [/\d+\s?번\s?레슨/, /\d+\s?번째\s?레슨/, /(?<!\/orch )레슨\s?\d+(?![\d개])/, /제\s?\d+\s?강/],
    rejectedEn: [/lesson\s?#\s?\d/i, /lesson no\./i],
  },
  {
    // Issue 16: the member's personal view, Slack's Home tab and Discord's `/orch me`, has one name in Korean.
    concept: "a member's personal view of their own study (next lessons, streaks, reviews, ranks)",
    ko: '내 공부',
    en: 'my study',
    rejectedKo: ['마이페이지', '내 학습', '개인 홈', '나의 공부'],
    rejectedEn: ['my page'],
  },
  {
    concept: 'lessons done one after another without a gap',
    ko: '연속 학습',
    en: 'streak',
    rejectedKo: ['연속 완료', '연속 기록', '스트릭', /\d+\s?회 연속/],
    rejectedEn: ['combo', 'chain'],
  },
  {
    concept: "the channel's quiz points, best first",
    ko: '순위',
    en: 'leaderboard',
    rejectedKo: ['리더보드', '랭킹', '점수판'],
    rejectedEn: ['scoreboard', 'ranking'],
    command: 'leaderboard',
  },
  {
    concept: 'missed quiz questions asked again on a spaced schedule',
    ko: '복습',
    en: 'review',
    rejectedKo: ['리뷰', '오답 노트'],
    rejectedEn: ['revision', 'recap'],
    command: 'review',
  },
  {
    concept: 'one quiz run in a channel',
    ko: '라운드',
    en: 'round',
    rejectedKo: ['게임', '세션'],
    rejectedEn: ['game', 'session'],
  },
  {
    concept: 'one quiz item',
    ko: '문제',
    en: 'question',
    rejectedKo: ['문항', '퀴즈 질문'],
    rejectedEn: ['quiz item'],
  },
  {
    // 답 is what a member gives, 정답 the right one; 답변 was used for both.
    concept: "a member's answer to a question",
    ko: '답',
    en: 'answer',
    rejectedKo: ['답변', '해답'],
    rejectedEn: ['response'],
  },
  {
    concept: 'when lessons are posted',
    ko: '일정',
    en: 'schedule',
    rejectedKo: ['스케줄', '시간표', '예약'],
    rejectedEn: ['timetable'],
    command: 'schedule',
  },
  {
    concept: 'the ordered list of lessons',
    ko: '로드맵',
    en: 'roadmap',
    rejectedKo: ['진도표', '커리큘럼', '학습 경로'],
    rejectedEn: ['curriculum', 'syllabus'],
    command: 'roadmap',
  },
  {
    concept: 'a group of lessons on one subject',
    ko: '트랙',
    en: 'track',
    rejectedKo: ['코스', '과정', '단원'],
    rejectedEn: ['course', 'module'],
  },
  {
    concept: 'a lesson marked as finished',
    ko: '완료',
    en: 'Done',
    rejectedKo: ['수료', '완수'],
    rejectedEn: ['complete', 'completed'],
  },
  {
    concept: 'how far a member or channel is in the roadmap',
    ko: '진도',
    en: 'progress',
    rejectedKo: ['진척', '진행률', '진행 상황'],
    rejectedEn: ['advancement'],
    command: 'progress',
  },
  {
    concept: "a pause: of the channel's lesson schedule, or of a member's own study while away",
    ko: '일시정지',
    en: 'paused',
    rejectedKo: ['일시 정지'],
    rejectedEn: ['suspended'],
  },
  {
    concept: 'a group of tools',
    ko: '카테고리',
    en: 'category',
    rejectedKo: ['분류', '범주'],
    rejectedEn: [],
    command: 'category',
  },
  {
    concept: 'a cloud-native project in the catalog',
    ko: '도구',
    en: 'tool',
    rejectedKo: ['툴'],
    rejectedEn: [],
  },
  {
    // The replies under a message, where a quiz round or a lesson's discussion runs (Slack and Discord both say so).
    concept: 'the replies under one channel message',
    ko: '스레드',
    en: 'thread',
    rejectedKo: ['쓰레드', '타래'],
    rejectedEn: [],
  },
  {
    // Issue 17: the post that sums up a channel's week, and its card.
    concept: "the weekly post that sums up a channel's week",
    ko: '주간 요약',
    en: 'weekly digest',
    rejectedKo: ['다이제스트', '주간 리포트', '주간 보고', '위클리'],
    rejectedEn: ['newsletter', 'weekly report'],
    command: 'digest',
  },
  {
    // The subscribed iCalendar feed of a channel's lessons; 달력 is a paper calendar in a Korean product.
    concept: "a channel's lesson schedule as a calendar to subscribe to",
    ko: '캘린더',
    en: 'calendar',
    rejectedKo: ['달력', '캘린다'],
    rejectedEn: [],
    command: 'calendar',
  },
  {
    // Issue 18: a late member going through the lessons the group already had, at their own number a day.
    concept: 'a member going through the lessons the group already had, a few a day, until they reach it',
    ko: '따라잡기',
    en: 'catch-up',
    rejectedKo: ['캐치업', '보충'],
    rejectedEn: [],
    command: 'catchup',
  },
  {
    // Issue 18: one person's accounts on two platforms counted as one member. 연동 reads as wiring two systems.
    concept: "a member's accounts on two platforms of one study group made one record",
    ko: '계정 연결',
    en: 'link',
    rejectedKo: ['연동', '링크'],
    rejectedEn: [],
    command: 'link',
  },
  {
    // Issue 18: a member telling the admins a quiz question is wrong; 제보 reads as a news tip.
    concept: 'a member flagging a quiz question as wrong, ambiguous, outdated or misspelt',
    ko: '신고',
    en: 'report',
    rejectedKo: ['제보', '리포트'],
    rejectedEn: ['flag'],
  },
  {
    // A question a channel's rounds leave out until an admin looks at it. Not 일시정지, which is the schedule's.
    concept: "a quiz question left out of a channel's rounds until an admin looks at it",
    ko: '출제 보류',
    en: 'held out',
    rejectedKo: ['출제 중지', '출제중지', '비활성'],
    rejectedEn: ['disabled', 'blacklisted'],
  },
  {
    concept: "a channel's read-only web page for the group",
    ko: '스터디 페이지',
    en: 'study page',
    // Not 홈페이지: that is a project's own site on a tool card.
    rejectedKo: ['웹페이지', '대시보드'],
    rejectedEn: ['dashboard'],
  },
];

function matches(text: string, pattern: string | RegExp, wholeWord: boolean): boolean {
  if (pattern instanceof RegExp) return pattern.test(text);
  if (!wholeWord) return text.includes(pattern);
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\b${escaped}s?\\b`, 'i').test(text);
}

/** The rejected variants found in `text`, each with the term to use instead. */
export function rejectedTermsIn(text: string, lang: 'ko' | 'en'): { found: string; use: string }[] {
  const out: { found: string; use: string }[] = [];
  // What sits in backticks is something to type; command words are checked as aliases.
  const prose = text.replace(/`[^`]*`/g, ' ');
  for (const entry of GLOSSARY) {
    for (const pattern of lang === 'ko' ? entry.rejectedKo : entry.rejectedEn) {
      if (matches(prose, pattern, lang === 'en')) out.push({ found: String(pattern), use: entry[lang] });
    }
  }
  return out;
}

/** The command a typed rejected variant selects ("강의" -> lesson), so old habits still work. */
export function commandForVariant(word: string): string | undefined {
  const w = word.toLowerCase();
  return GLOSSARY.find((entry) =>
    [...entry.rejectedKo, ...entry.rejectedEn].some((p) => typeof p === 'string' && p.toLowerCase() === w),
  )?.command;
}
