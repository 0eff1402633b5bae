/**
 * Korean a person types to the bot, or copies from what the bot printed ("3강", "오늘 레슨", "언어 영어",
 * "일시정지"), rewritten to the command line the commands read ("lesson 3", "lesson", "lang en",
 * "schedule pause"). A line that is not one of these phrases comes back unchanged, so a lookup such as
 * "이스티오 알려줘" still reaches the query engine as typed.
 */

/** Resolves a command word (a name or alias) to the command's name, or undefined. */
export type CommandNameOf = (word: string) => string | undefined;

// Request endings after a command ("로드맵 보여줘", "퀴즈 시작해 줘"): they add nothing the command needs.
const REQUEST_WORDS = new Set([
  '보여줘',
  '보여줘요',
  '보여주세요',
  '보여',
  '알려줘',
  '알려주세요',
  '줘',
  '줘요',
  '주세요',
  '해줘',
  '해',
  '해요',
  '할래',
  '하자',
  '볼래',
  '보기',
]);
const LESSON_WORDS = new Set(['레슨', '강의', '수업', '강']);
const NUMBERED_LESSON = /^(\d+)\s?강$/;

const LANG_WORDS: ReadonlyMap<string, string> = new Map([
  ['한국어', 'ko'],
  ['한글', 'ko'],
  ['영어', 'en'],
  ['자동', 'auto'],
  ['보기', 'show'],
]);
const SCHEDULE_WORDS: ReadonlyMap<string, string> = new Map([
  ['보기', 'show'],
  ['일시정지', 'pause'],
  ['정지', 'pause'],
  ['멈춤', 'pause'],
  ['재개', 'resume'],
  ['다시시작', 'resume'],
  ['끄기', 'off'],
  ['삭제', 'off'],
  ['공휴일', 'skip-holidays'],
  ['skip-holidays', 'skip-holidays'],
]);
const QUIZ_STOP_WORDS = new Set(['그만', '중지', '멈춰', '종료', '끝']);
const QUIZ_START_WORDS = new Set(['시작', '시작해', '시작해요', '시작하기', '시작할래']);
const OFF_WORDS = new Set(['끄기', '안함', '없음', 'off']);

let koreanCountries: Map<string, string> | undefined;

/** The ISO code of a country named in Korean ("한국", "대한민국", "미국"), or undefined. */
export function countryCodeFromKorean(name: string): string | undefined {
  if (koreanCountries === undefined) {
    koreanCountries = new Map([
      ['한국', 'KR'],
      ['남한', 'KR'],
    ]);
    const names = new Intl.DisplayNames(['ko'], { type: 'region', fallback: 'none' });
    const A = 'A'.charCodeAt(0);
    for (let i = 0; i < 26; i++) {
      for (let j = 0; j < 26; j++) {
        const code = String.fromCharCode(A + i, A + j);
        const korean = names.of(code);
        if (korean !== undefined && !koreanCountries.has(korean)) koreanCountries.set(korean, code);
      }
    }
  }
  return koreanCountries.get(name);
}

/** A country code as its name in `lang` ("KR" -> "대한민국" / "South Korea"); the code when Intl has no name. */
export function countryName(code: string, lang: 'ko' | 'en'): string {
  return new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' }).of(code) ?? code;
}

/** Rewrites a typed Korean command phrase to the words a command reads; other lines come back as they were. */
export function understandPhrase(words: readonly string[], commandNameOf: CommandNameOf): string[] {
  const [first, second] = words;
  if (first === undefined) return [...words];
  const numbered = NUMBERED_LESSON.exec(first);
  if (numbered !== null) return lessonArgs(['lesson', ...words]);
  if ((first === '오늘' || first === '오늘의') && second !== undefined && LESSON_WORDS.has(second))
    return lessonArgs(['lesson', ...words.slice(2)]);
  if (first === '다음' && second !== undefined && LESSON_WORDS.has(second))
    return lessonArgs(['lesson', 'next', ...words.slice(2)]);
  if (first === '내' && second === '진도') return dropRequest(['progress', ...words.slice(2)]);
  // 내 공부 (the personal view) as its name is written, with the space.
  if (first === '내' && second === '공부') return dropRequest(['me', ...words.slice(2)]);
  // With a length or 끝 it is a member's own pause (일시정지 7일); alone, as before, the channel's schedule.
  if (first === '일시정지' && second !== undefined) return ['pause', ...words.slice(1)];
  if (first === '일시' && second === '정지' && words.length > 2) return ['pause', ...words.slice(2)];
  if (first === '일시정지' || (first === '일시' && second === '정지')) return ['schedule', 'pause'];
  if (first === '재개') return ['schedule', 'resume'];
  if (first === '공휴일') return scheduleArgs(['schedule', ...words]);

  const command = commandNameOf(first);
  switch (command) {
    case 'lesson':
      return lessonArgs([first, ...words.slice(1)]);
    case 'roadmap': {
      // "로드맵 설정 5강" -> "roadmap set 5"
      const rest = dropRequest(words.slice(1), 0);
      return [first, ...rest.map((w) => (w === '설정' ? 'set' : (NUMBERED_LESSON.exec(w)?.[1] ?? w)))];
    }
    case 'progress':
    case 'me':
    case 'review':
    case 'leaderboard':
    case 'help':
      return dropRequest([...words]);
    case 'quiz': {
      const rest = dropRequest(words.slice(1), 0).filter((w) => !QUIZ_START_WORDS.has(w));
      if (rest.length === 1 && QUIZ_STOP_WORDS.has(rest[0] as string)) return [first, 'stop'];
      return [first, ...rest];
    }
    case 'lang': {
      const rest = dropRequest(words.slice(1), 0);
      return [first, ...rest.map((w) => LANG_WORDS.get(w) ?? w)];
    }
    case 'schedule':
      return scheduleArgs([first, ...words.slice(1)]);
    default:
      return [...words];
  }
}

// Drops request endings, keeping at least `keep` words (the command word itself, when it is the first).
function dropRequest(words: string[], keep = 1): string[] {
  while (words.length > keep && REQUEST_WORDS.has(words[words.length - 1] as string)) words.pop();
  return words;
}

// lesson [오늘|다음|N강|N] [정답] [보여줘]
function lessonArgs(words: string[]): string[] {
  const [name, ...rest] = dropRequest(words);
  const args: string[] = [];
  for (const word of rest) {
    const numbered = NUMBERED_LESSON.exec(word);
    if (numbered !== null) args.push(numbered[1] as string);
    else if (word === '오늘' || word === '오늘의' || LESSON_WORDS.has(word)) continue;
    else args.push(word);
  }
  return [name as string, ...args];
}

// schedule [보기|일시정지|재개|끄기|공휴일 <나라|끄기>] or a rule, which src/lessons/schedule-rule.ts reads in Korean itself.
function scheduleArgs(words: string[]): string[] {
  const [name, ...rest] = words;
  const joined = rest.join('');
  if (joined === '일시정지' || joined === '다시시작')
    return [name as string, SCHEDULE_WORDS.get(joined) as string];
  const sub = rest[0] !== undefined ? SCHEDULE_WORDS.get(rest[0]) : undefined;
  if (sub === undefined) return words;
  if (sub !== 'skip-holidays') return [name as string, sub, ...rest.slice(1)];
  const country = dropRequest(rest.slice(1), 0).join('');
  if (country === '') return [name as string, sub];
  const code = OFF_WORDS.has(country) ? 'off' : (countryCodeFromKorean(country) ?? country);
  return [name as string, sub, code];
}
