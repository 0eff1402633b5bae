import fc from 'fast-check';

/**
 * Settings shared by the fuzz suites (tests/core/fuzz-*.test.ts).
 *
 * By default every property runs a fixed number of times from a fixed seed, so CI is reproducible and quick.
 * To hunt for bugs, run longer and from other seeds:
 *
 *   ORCH_FUZZ_RUNS=20 ORCH_FUZZ_SEED=random npx vitest run tests/core/fuzz-
 *
 * ORCH_FUZZ_RUNS multiplies every property's run count; ORCH_FUZZ_SEED is an integer, or `random` for a new one
 * each time. A failure prints the seed and the shrunk counterexample; replay it with that ORCH_FUZZ_SEED.
 */
const DEFAULT_SEED = 20_261_128;

function seedFromEnv(): number {
  const raw = process.env.ORCH_FUZZ_SEED?.trim();
  if (!raw) return DEFAULT_SEED;
  if (raw === 'random') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed))
    throw new Error(`ORCH_FUZZ_SEED must be an integer or "random", got "${raw}"`);
  return seed;
}

function scaleFromEnv(): number {
  const raw = process.env.ORCH_FUZZ_RUNS?.trim();
  if (!raw) return 1;
  const scale = Number(raw);
  if (!(scale > 0)) throw new Error(`ORCH_FUZZ_RUNS must be a positive multiplier, got "${raw}"`);
  return scale;
}

export const FUZZ_SEED = seedFromEnv();
export const FUZZ_SCALE = scaleFromEnv();

/** fast-check parameters: `runs` scaled by ORCH_FUZZ_RUNS, the shared seed, and inputs that once found a bug. */
export function fuzzParams<T>(runs: number, examples: T[] = []): fc.Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(runs * FUZZ_SCALE)), examples };
}

/** A vitest timeout that grows with ORCH_FUZZ_RUNS, so a long hunt is not cut off by the default. */
export function fuzzTimeout(baseMs: number): number {
  return Math.round(baseMs * Math.max(1, FUZZ_SCALE) * 1.5);
}

// ---------------------------------------------------------------------------------------------------------------
// Bounds on pathological slowness (not a benchmark: a healthy call takes well under a millisecond).

/** The most one call may take; only a blow-up (quadratic regex, runaway loop) comes near it. */
export const SLOW_CALL_MS = 50;

/** The slowest call seen by `timed`, for the suites' summary when hunting. */
export const slowest = { ms: 0, label: '' };

/**
 * Runs `fn` and fails when it takes longer than SLOW_CALL_MS. A slow first try is repeated twice and only the
 * fastest of the three counts, so a garbage collection or a busy neighbour process does not fail the suite, while
 * an input that is slow every time does.
 */
export function timed<R>(label: string, fn: () => R): R {
  let best = Number.POSITIVE_INFINITY;
  let result: R | undefined;
  for (let attempt = 0; attempt < 3 && best > SLOW_CALL_MS; attempt++) {
    const start = performance.now();
    result = fn();
    best = Math.min(best, performance.now() - start);
  }
  if (best > slowest.ms) {
    slowest.ms = best;
    slowest.label = label;
  }
  if (best > SLOW_CALL_MS) {
    throw new Error(`${label} took ${best.toFixed(1)} ms (bound ${SLOW_CALL_MS} ms)`);
  }
  return result as R;
}

/** While hunting (either variable set), prints the slowest call and its seed, to see how far below the bound it is. */
export function logSlowest(suite: string): void {
  if (process.env.ORCH_FUZZ_RUNS === undefined && process.env.ORCH_FUZZ_SEED === undefined) return;
  const label = slowest.label.length > 100 ? `${slowest.label.slice(0, 100)}…` : slowest.label;
  console.info(`${suite}: seed ${FUZZ_SEED}, slowest call ${slowest.ms.toFixed(2)} ms: ${label}`);
}

/** The async twin of `timed`. */
export async function timedAsync<R>(label: string, fn: () => Promise<R>, boundMs = SLOW_CALL_MS): Promise<R> {
  let best = Number.POSITIVE_INFINITY;
  let result: R | undefined;
  for (let attempt = 0; attempt < 3 && best > boundMs; attempt++) {
    const start = performance.now();
    result = await fn();
    best = Math.min(best, performance.now() - start);
  }
  if (best > slowest.ms) {
    slowest.ms = best;
    slowest.label = label;
  }
  if (best > boundMs) throw new Error(`${label} took ${best.toFixed(1)} ms (bound ${boundMs} ms)`);
  return result as R;
}

// ---------------------------------------------------------------------------------------------------------------
// Mentions

/**
 * Text that would notify people if a bot posted it: Slack's <!channel>, <!here>, <!everyone>, <!subteam^…>,
 * user and channel references (<@U1>, <#C1>), Discord's <@id>, <@!id>, <@&role>, and a bare @everyone or @here
 * (Discord pings those anywhere in a message).
 */
export const PING = /<[@!#]|@(?:everyone|here|channel)/i;

// ---------------------------------------------------------------------------------------------------------------
// Characters that have broken text handling elsewhere

const codePoints = (from: number, to: number): fc.Arbitrary<string> =>
  fc.integer({ min: from, max: to }).map((c) => String.fromCodePoint(c));

/** UTF-16 code units, lone surrogate halves included (fc.string's `binary` unit never produces those). */
export const loneSurrogate = codePoints(0xd800, 0xdfff);

/**
 * Characters whose NFKC or case mapping changes their length: ﷺ becomes an 18-letter phrase of four words, ﷽ a
 * whole sentence, ﬃ three letters, İ lower-cases to two units. A 500-unit message of them is thousands of words.
 */
export const expanding = fc.constantFrom(
  'ﷺ',
  '﷽',
  'ﷻ',
  'ﬃ',
  '㍿',
  '㈜',
  '㉑',
  '㌀',
  'ẞ',
  'İ',
  'ß',
  'Ω',
  'K',
  'Å',
  '⑳',
  '¼',
  '𝕜',
  '𝐈',
  'ǅ',
  'ŉ',
);

/** One character from a family that is special to Korean text handling, Unicode normalisation or chat markup. */
export const trickyChar: fc.Arbitrary<string> = fc.oneof(
  codePoints(0xac00, 0xd7a3), // Hangul syllables
  codePoints(0x1100, 0x11ff), // conjoining jamo (what NFD makes of a syllable)
  codePoints(0x3131, 0x318e), // compatibility jamo (what a keyboard types mid-syllable)
  codePoints(0xffa0, 0xffdc), // half-width Hangul
  codePoints(0x0300, 0x036f), // combining marks
  codePoints(0x0590, 0x06ff), // Hebrew and Arabic (right to left)
  codePoints(0xff01, 0xff5e), // full-width ASCII
  codePoints(0x0000, 0x001f), // C0 controls
  loneSurrogate,
  fc.constantFrom(
    // zero-width and bidi controls
    '\u200b',
    '\u200c',
    '\u200d',
    '\u2060',
    '\ufeff',
    '\u00ad',
    '\u034f',
    '\u200e',
    '\u200f',
    '\u202a',
    '\u202b',
    '\u202c',
    '\u202d',
    '\u202e',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
  ),
  // every kind of space and line break JavaScript's \s knows, and some it does not
  fc.constantFrom(
    ' ',
    '\t',
    '\n',
    '\r',
    '\u000b',
    '\u000c',
    '\u00a0',
    '\u1680',
    '\u2028',
    '\u2029',
    '\u3000',
    '\u0085',
    '\u180e',
  ),
  expanding,
  fc.constantFrom('👩‍👩‍👧‍👦', '🇰🇷', '👍🏽', '🏳️‍🌈', '☸️', '🐳', '1️⃣', '🧑🏿‍💻'),
  // regex and markdown metacharacters and chat markup delimiters
  fc.constantFrom(
    ...'*?+()[]{}\\^$|.#/:,-~`_="\'’<>&!@%;'.split(''),
    '**',
    '__',
    '```',
    '](',
    '](https://x.y)',
  ),
);

/** Mentions in every syntax the chat platforms use, and look-alikes of them. */
export const mention = fc.constantFrom(
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!here|here>',
  '<!subteam^S1|@team>',
  '<@U123ABC>',
  '<@W1>',
  '<#C1|general>',
  '<@&123456789>',
  '<@!42>',
  '<@42>',
  '@everyone',
  '@here',
  '@channel',
  '@orch',
  '＠everyone',
  '＜!channel＞',
  '@\u200beveryone',
  '<<!here>>',
  '<@',
  '<!',
  '@',
  '[@everyone](https://x.y)',
  '[x](https://x.y/<!here>)',
);

/** A word with one keyboard slip: a letter dropped, doubled, swapped with its neighbour or replaced. */
export function withTypo(word: string): fc.Arbitrary<string> {
  const chars = [...word];
  if (chars.length === 0) return fc.constant(word);
  return fc
    .tuple(fc.nat(chars.length - 1), fc.constantFrom('drop', 'double', 'swap', 'replace', 'none'), trickyChar)
    .map(([i, op, c]) => {
      const out = [...chars];
      if (op === 'drop') out.splice(i, 1);
      else if (op === 'double') out.splice(i, 0, out[i] ?? '');
      else if (op === 'swap' && i + 1 < out.length) [out[i], out[i + 1]] = [out[i + 1] ?? '', out[i] ?? ''];
      else if (op === 'replace') out[i] = c;
      return out.join('');
    });
}

/** Korean words the engine and the schedule parser treat specially: question frames, particles, day and time words. */
export const KOREAN_WORDS = [
  '이스티오',
  '쿠버네티스',
  '링커디',
  '엣시디',
  '뭐야',
  '알려줘',
  '에 대해 알려줘',
  '무엇인가요',
  '비교',
  '비교해줘',
  '차이',
  '차이점',
  '뭐가 나아',
  '와',
  '과',
  '는',
  '가',
  '를',
  '이랑',
  '하고',
  '대',
  '도구',
  '목록',
  '설치',
  '방법',
  '평일',
  '주말',
  '매일',
  '월요일',
  '화',
  '수',
  '목요일까지',
  '부터',
  '오전',
  '오후',
  '밤',
  '새벽',
  '낮',
  '시',
  '분',
  '반',
  '마다',
  'ㅇㅅㅌㅇ',
  'ㅋㅂㄴㅌㅅ',
  '이스ㅌ',
  '잇',
  '퀴즈',
  '중지',
  '그만',
  '오늘',
  '전체',
  '주간',
  '보기',
  '정지',
  '재개',
  '끄기',
  '공휴일',
];

/** Words that steer the command parser: options, the /orch prefix, sub-commands and numbers. */
export const COMMAND_WORDS = [
  '--lang',
  '--lang=ko',
  '--lang=en',
  '--lang=',
  '-l',
  '-l=en',
  'ko',
  'en',
  'KO',
  '--help',
  '--',
  '-',
  '--x',
  '/orch',
  'orch',
  'ORCH',
  '/orch:',
  'stop',
  'next',
  'answer',
  'set',
  'all',
  'week',
  'show',
  'pause',
  'resume',
  'off',
  'skip-holidays',
  'today',
  'vs',
  'versus',
  'or',
  'and',
  'compare',
  'what is',
  'tell me about',
  'how to install',
  'please',
  '0',
  '1',
  '3',
  '10',
  '20',
  '21',
  '121',
  '-1',
  '1e3',
  '999999999999999999999',
  'NaN',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
];

/** Pieces of schedule rules: day words, times in both languages, zones and cron fields, good and bad. */
export const SCHEDULE_WORDS = [
  'weekdays',
  'weekday',
  'weekends',
  'daily',
  'every',
  'day',
  'everyday',
  'mon',
  'monday',
  'tue',
  'tues',
  'wed',
  'thu',
  'thurs',
  'fri',
  'sat',
  'sun',
  'mondays',
  'mon-fri',
  'fri-mon',
  'mon,wed,fri',
  'to',
  'through',
  '~',
  '–',
  '9:00',
  '09:00',
  '9:5',
  '24:00',
  '23:59',
  '0:00',
  '12am',
  '12pm',
  '13pm',
  '9 am',
  '9a.m.',
  'p.m.',
  '21시',
  '9시 반',
  '9시 30분',
  '오전 12시',
  '밤 12시',
  '낮 2시',
  'KST',
  'UTC',
  'gmt',
  'EST',
  'CET',
  'Asia/Seoul',
  '(Asia/Seoul)',
  'asia/seoul',
  'Europe/Berlin',
  'America/New_York',
  'America/Argentina/Buenos_Aires',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Pacific/Apia',
  'Antarctica/Troll',
  'Etc/GMT+12',
  'Etc/GMT-14',
  'Mars/Olympus',
  'Asia/',
  '*',
  '*/2',
  '*/7',
  '0',
  '30',
  '59',
  '60',
  '1-5',
  '5-1',
  '0-6',
  '7',
  'L',
  'LW',
  '15W',
  'L-3',
  '1#2',
  '5L',
  '?',
  'JAN',
  'feb',
  'MON-FRI',
  '1,15',
  '0,30',
];

const pick = (words: readonly string[]): fc.Arbitrary<string> => fc.constantFrom(...words);
const separator = fc.constantFrom(' ', ' ', ' ', '  ', ',', ', ', '\t', '\n', '\u3000', '', '/', '-');

/**
 * Text that is mostly words the code knows (with typos), mixed with tricky characters, mentions, random
 * graphemes and raw code points, joined by assorted separators.
 */
export function domainText(words: readonly string[], maxPieces = 12): fc.Arbitrary<string> {
  const known = pick(words);
  const piece = fc.oneof(
    { weight: 6, arbitrary: known },
    { weight: 3, arbitrary: known.chain(withTypo) },
    { weight: 2, arbitrary: trickyChar },
    { weight: 1, arbitrary: mention },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  );
  return fc
    .array(fc.tuple(piece, separator), { maxLength: maxPieces })
    .map((parts) => parts.map(([p, s]) => p + s).join(''));
}

/** Up to `max` UTF-16 units: a piece repeated, or many pieces, cut at an arbitrary unit (maybe mid-surrogate). */
export function longText(words: readonly string[], max: number): fc.Arbitrary<string> {
  const piece = fc.oneof(
    pick(words),
    trickyChar,
    expanding,
    mention,
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }),
  );
  const repeated = fc
    .tuple(piece, fc.integer({ min: 1, max }))
    .map(([p, n]) => (p.length === 0 ? 'a' : p).repeat(Math.ceil(n / Math.max(1, p.length))).slice(0, n));
  const many = fc
    .tuple(
      fc.array(fc.tuple(piece, separator), { minLength: 20, maxLength: 200 }),
      fc.integer({ min: 1, max }),
    )
    .map(([parts, n]) =>
      parts
        .map(([p, s]) => p + s)
        .join('')
        .slice(0, n),
    );
  return fc.oneof(repeated, many);
}

/**
 * Any text a user might send: domain-aware word salad, printable graphemes, any code point, raw UTF-16 with lone
 * surrogates, and long inputs up to `max` units.
 */
export function anyText(words: readonly string[], max: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: domainText(words) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.oneof(trickyChar, loneSurrogate), maxLength: 40 }) },
    { weight: 1, arbitrary: longText(words, max) },
  );
}
