import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/model.ts';
import { COMMANDS } from '../../src/commands/index.ts';
import { formatInZone } from '../../src/commands/schedule.ts';
import { GLOSSARY, rejectedTermsIn } from '../../src/i18n/glossary.ts';
import { type Lang, MESSAGE_KEYS, type MessageKey, SELF_NAME, t } from '../../src/i18n/messages.ts';
import { countryName } from '../../src/i18n/phrases.ts';
import { lessonReply, progressReply, roadmapReply } from '../../src/lessons/lesson-replies.ts';
import { scheduleRuleText } from '../../src/lessons/schedule-rule.ts';
import { generateQuestions } from '../../src/quiz/generate.ts';
import { seededRandom } from '../../src/quiz/random.ts';
import type { Reply } from '../../src/reply/model.ts';
import { toPlainText } from '../../src/reply/plain-text.ts';
import { realCatalog } from '../helpers/catalog.ts';

const NEXT = Date.parse('2026-12-10T01:19:00Z');

// Sample values as the code fills them in: numbers for counts, names in the reader's language, the real helpers for
// times, rules and countries. A message that shows English data (a landscape category, a problem list) gets Korean
// samples here, since what is checked is the wording around them.
function samples(lang: Lang, n: number): Record<string, string | number> {
  const ko = lang === 'ko';
  return {
    number: 3,
    total: 40,
    count: n,
    seconds: n === 1 ? 1 : 30,
    streak: n,
    done: n,
    correct: n,
    answered: n,
    points: n,
    rank: 1,
    best: n,
    // Platform ids, shown as code in every language.
    channel: '`C0123`',
    space: '`T0123`',
    tools: n,
    lessons: n,
    questions: n,
    length: 612,
    max: 500,
    from: 1,
    to: 8,
    lesson: 3,
    value: '99',
    name: SELF_NAME,
    title: ko ? '파드와 디플로이먼트' : 'Pods and Deployments',
    topic: ko ? '이스티오' : 'Istio',
    query: ko ? '서비스 메시' : 'service mesh',
    names: ko ? '이스티오, 링커디' : 'Istio, Linkerd',
    tool: 'istio',
    option: 'B',
    question: ko ? '파드란 무엇일까요?' : 'What is a Pod?',
    state: t(lang, 'settings.on'),
    explanation: ko ? '사이드카 없이도 동작해요.' : 'It works without sidecars.',
    when: formatInZone(NEXT, 'Asia/Seoul', lang),
    next: formatInZone(NEXT, 'Asia/Seoul', lang),
    rule: scheduleRuleText('weekdays 09:00 (Asia/Seoul)', lang),
    paused: t(lang, 'schedule.pausedNote'),
    holidays: countryName('KR', lang),
    country: countryName('KR', lang),
    detail: ko ? '매주' : 'every week',
    lang: t(lang, 'langName.ko'),
    what: t(lang, 'what.schedule'),
    command: 'schedule',
    category: ko ? '오케스트레이션' : 'Orchestration',
    subcategory: ko ? '배포' : 'Delivery',
    problems: ko ? '- 3번째 줄: 이름이 없어요' : '- line 3: name is missing',
    marker: '▶️',
    start: formatInZone(NEXT, 'Asia/Seoul', lang),
    at: formatInZone(NEXT, 'Asia/Seoul', lang),
    in: ko ? '3일 5시간' : '3 d 5 h',
    ahead: ko ? '7일' : '7 d',
    last: 4,
    min: 1,
    countMin: 1,
    countMax: 20,
    secondsMin: 10,
    secondsMax: 120,
    letter: 'D',
    topics: ko ? '`퀴즈`, `일정`' : '`quiz`, `schedule`',
    kind: ko ? '관측 가능성' : 'Observability',
    zone: 'Asia/Seoul',
    gain: n,
    url: 'https://orch.example.org/c/0123456789abcdefghijklmnopqrstuv/calendar.ics',
    page: 'https://orch.example.org/c/0123456789abcdefghijklmnopqrstuv',
    share: 38,
    posted: n,
    day: formatInZone(NEXT, 'Asia/Seoul', lang),
    reason: t(lang, 'report.reason.ambiguous'),
    possible: 2 * n,
    active: n,
    percent: 50,
    perDay: 2,
    channels: '`slack:T1:C1`, `discord:G1:C2`',
    keys: '`slack:T1:U1`, `discord:G1:U2`',
    days: n,
    rate: '1.0',
    players: n,
    median: t(lang, 'admin.questionSeconds', { seconds: '4.2' }),
  };
}

const render = (lang: Lang, key: MessageKey, n = 3): string => t(lang, key, samples(lang, n));

// Every text a catalog author wrote (titles, goals, points, check questions, resources, tool names): what is left
// of a rendered lesson or roadmap is the product's own wording.
function catalogStrings(catalog: Catalog): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(catalog.roadmap);
  for (const tool of catalog.toolById.values()) out.push(tool.name);
  return out.filter((s) => s.length > 1).sort((a, b) => b.length - a.length);
}

async function uiTexts(lang: Lang): Promise<string[]> {
  const catalog = await realCatalog();
  const strip = catalogStrings(catalog);
  const replies: Reply[] = [
    ...catalog.roadmap.lessons.slice(0, 3).map((l) => lessonReply(catalog, l, lang, { scheduled: true })),
    lessonReply(catalog, catalog.roadmap.lessons[0] as never, lang, { answer: true }),
    roadmapReply(catalog, 4, lang),
    progressReply(catalog, [1, 2], { current: 1, best: 2 }, lang, {
      answered: 3,
      correct: 2,
      points: 20,
      reviewsDue: 1,
    }),
  ];
  return replies.map((reply) => {
    let text = toPlainText(reply);
    for (const s of strip) text = text.split(s).join(' ');
    return text;
  });
}

describe('the glossary', () => {
  // Lesson text is about Kubernetes, where 스케줄 and 대시보드 mean what they mean there; only what a lesson calls
  // itself is the product's word. A lesson saying "이 강의에서는" was found by trying the console.
  it('every lesson calls itself a 레슨, never 강의, 수업 or 강좌', async () => {
    const catalog = await realCatalog();
    const lesson = GLOSSARY.find((entry) => entry.ko === '레슨');
    const found = catalog.roadmap.lessons.flatMap((l) =>
      [l.title.ko, l.goal.ko, ...l.points.ko, l.check.question.ko, l.check.answer.ko].flatMap((text) =>
        (lesson?.rejectedKo ?? [])
          .filter((p) => typeof p === 'string' && text.includes(p))
          .map((p) => `${l.id}: ${String(p)}`),
      ),
    );
    expect(lesson).toBeDefined();
    expect(found).toEqual([]);
  });

  it('has one chosen term per concept, never among its own rejected variants', () => {
    for (const entry of GLOSSARY) {
      expect(rejectedTermsIn(entry.ko, 'ko'), entry.concept).toEqual([]);
      expect(rejectedTermsIn(entry.en, 'en'), entry.concept).toEqual([]);
    }
  });

  it.each(['ko', 'en'] as const)('no %s message uses a rejected term', (lang) => {
    const found = MESSAGE_KEYS.flatMap((key) =>
      [1, 3].flatMap((n) =>
        rejectedTermsIn(render(lang, key, n), lang).map((r) => `${key}: ${r.found} (use ${r.use})`),
      ),
    );
    expect(found).toEqual([]);
  });

  it.each(['ko', 'en'] as const)(
    'the %s lesson, roadmap and progress UI uses no rejected term',
    async (lang) => {
      const found = (await uiTexts(lang)).flatMap((text) => rejectedTermsIn(text, lang).map((r) => r.found));
      expect(found).toEqual([]);
    },
  );

  it('no command name, alias or description uses a rejected term', () => {
    const found: string[] = [];
    for (const command of COMMANDS) {
      for (const word of [command.name, ...command.aliases]) {
        const lang = /[\uac00-\ud7a3]/.test(word) ? 'ko' : 'en';
        found.push(...rejectedTermsIn(word, lang).map((r) => `${command.name}: ${word} (use ${r.use})`));
      }
      for (const lang of ['ko', 'en'] as const) {
        const texts = [command.description[lang], ...command.options.map((o) => o.description[lang])];
        for (const text of texts)
          found.push(...rejectedTermsIn(text, lang).map((r) => `${command.name}: ${r.found}`));
      }
    }
    expect(found).toEqual([]);
  });

  it('fails on a rejected variant (the check itself works)', () => {
    expect(rejectedTermsIn('3번 레슨을 보세요', 'ko').map((r) => r.use)).toEqual(['{n}강']);
    expect(rejectedTermsIn('리더보드: 최근 7일', 'ko').map((r) => r.use)).toEqual(['순위']);
    expect(rejectedTermsIn('연속 3회 연속', 'ko').map((r) => r.use)).toEqual(['연속 학습']);
    expect(rejectedTermsIn('Lesson completed', 'en').map((r) => r.use)).toEqual(['Done']);
    expect(rejectedTermsIn('That request arrived incomplete', 'en')).toEqual([]);
    expect(rejectedTermsIn('도구 3개, 레슨 12개', 'ko')).toEqual([]);
  });
});

// 해요체: a sentence ends in 요 (or is a noun phrase: a label, "퀴즈 시작!"). 합니다체 and 한다체 end in 다 or 까, and
// 반말 in 어/아/야/지/해/줘/네.
function badEndings(text: string): string[] {
  const bad: string[] = [];
  const prose = text.replace(/`[^`]*`/g, ' ').replace(/\([^()]*\)/g, ' ');
  for (const raw of prose.split(/(?<=[.!?])\s+|\n/)) {
    const sentence = raw.replace(/(?:[\s.!?:;…,)\]"'\p{Extended_Pictographic}]|\u{FE0F})+$/gu, '').trim();
    if (sentence === '' || !/[\uac00-\ud7a3]$/.test(sentence)) continue;
    // A label ("홈페이지", "언어") has no closing punctuation; only a sentence that has one can be 반말.
    const punctuated = /[.!?]\s*$/.test(raw);
    if (/(?:니다|니까|[^요]다)$/.test(sentence) || (punctuated && /[어아야지해줘네]$/.test(sentence)))
      bad.push(raw.trim());
  }
  return bad;
}

describe('Korean in 해요체', () => {
  it('every Korean message ends its sentences in 해요체', () => {
    const bad = MESSAGE_KEYS.flatMap((key) => badEndings(render('ko', key)).map((s) => `${key}: ${s}`));
    expect(bad).toEqual([]);
  });

  // The tool prose a generated question quotes (summary, when to pick, maturity note) is catalog text, not this wording.
  it('the sentences a generated quiz question adds are in 해요체', async () => {
    const catalog = await realCatalog();
    const prose = [...catalog.toolById.values()]
      .flatMap((tool) =>
        tool.source === 'curated' ? [tool.summary.ko, tool.whenToPick.ko, tool.maturityNote?.ko ?? ''] : [],
      )
      .filter((text) => text.length > 0)
      .sort((a, b) => b.length - a.length);
    const own = (text: string) => prose.reduce((rest, p) => rest.split(p).join('…'), text);
    const questions = generateQuestions(catalog, seededRandom(7));
    const bad = questions.flatMap((q) =>
      [q.question.ko, q.explanation.ko].flatMap((text) =>
        badEndings(own(text)).map((s) => `${q.questionId}: ${s}`),
      ),
    );
    expect(bad).toEqual([]);
  });

  it('the check itself refuses 합니다체, 한다체 and 반말', () => {
    expect(badEndings('알 수 없는 명령어입니다.')).toHaveLength(1);
    expect(badEndings('설정을 바꾼다.')).toHaveLength(1);
    expect(badEndings('다시 해.')).toHaveLength(1);
    expect(badEndings('일정을 정했어요. 퀴즈 시작! 정답: B')).toEqual([]);
  });
});

// Placeholder particles such as 은(는), (이)가, (을)를, (으)로: the word before them is known, so is the particle.
const PLACEHOLDER_PARTICLE = /\((?:은|는|이|가|을|를|과|와|으|이)\)|[은이을과]\([는가를와]\)|\(으\)로/;

describe('particles', () => {
  it('no message or generated question writes a particle as 은(는)', async () => {
    const texts = MESSAGE_KEYS.flatMap((key) => LANGS.map((lang) => render(lang, key)));
    const questions = generateQuestions(await realCatalog(), seededRandom(7)).flatMap((q) => [
      q.question.ko,
      q.explanation.ko,
    ]);
    expect([...texts, ...questions].filter((text) => PLACEHOLDER_PARTICLE.test(text))).toEqual([]);
  });

  it('no Korean message puts a fixed particle after a word it fills in', () => {
    // Filled with a word without a final consonant and one with it, a fixed particle is wrong for one of them.
    const filled = (word: string) =>
      MESSAGE_KEYS.map((key) => {
        const vars = Object.fromEntries(Object.keys(samples('ko', 3)).map((name) => [name, word]));
        return `${key}: ${t('ko', key, { ...vars, option: word, letter: word, command: word })}`;
      });
    const wrong = [
      ...filled('Istio').filter((line) => /Istio(은|이|을|과|으로)(?![가-힣])/.test(line)),
      ...filled('Helm').filter((line) => /Helm(는|가|를|와|로)(?![가-힣])/.test(line)),
    ];
    expect(wrong).toEqual([]);
  });

  it('a generated question picks the particle after the tool name', async () => {
    const questions = generateQuestions(await realCatalog(), seededRandom(7));
    const istio = questions.find((q) => q.questionId === 'gen-category-istio');
    expect(istio?.question.ko).toBe('Istio는 어느 카테고리에 속할까요?');
    const crossplane = questions.find((q) => q.questionId === 'gen-category-crossplane');
    expect(crossplane?.question.ko).toBe('Crossplane은 어느 카테고리에 속할까요?');
  });
});

const LANGS = ['ko', 'en'] as const;

// Latin words that belong in Korean text: the product and standards it names, CNCF's own level names, quiz option
// letters and IANA zone names. Commands and values to type sit in backticks, and web addresses are addresses: neither
// is prose.
const LATIN_ALLOWED =
  /\b(?:orch|CNCF|IANA|cron|Graduated|Incubating|Sandbox|Archived|[A-D])\b|\b[A-Z][a-z]+\/[A-Za-z_]+\b/g;

function latinWords(text: string): string[] {
  const prose = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(LATIN_ALLOWED, ' ');
  return prose.match(/[A-Za-z]+/g) ?? [];
}

describe('no English in Korean replies', () => {
  it('renders every Korean message with sample values and finds no English word', () => {
    const found = MESSAGE_KEYS.flatMap((key) => latinWords(render('ko', key)).map((w) => `${key}: ${w}`));
    expect(found).toEqual([]);
  });

  it('the Korean lesson, roadmap and progress UI has no English word', async () => {
    const found = (await uiTexts('ko')).flatMap(latinWords);
    expect(found).toEqual([]);
  });

  it('the check itself finds English outside code', () => {
    expect(latinWords('일정: weekdays 09:00 (Asia/Seoul)')).toEqual(['weekdays']);
    expect(latinWords('`/orch schedule resume`으로 다시 시작해요. 정답은 B예요.')).toEqual([]);
  });
});

const PLURAL_NOUNS = ['lesson', 'tool', 'question', 'point', 'problem', 'second', 'character'];

describe('English plurals', () => {
  it.each([1, 3])('no English message says the wrong number with %i', (n) => {
    const wrong =
      n === 1
        ? new RegExp(`\\b1 (?:quiz )?(?:${PLURAL_NOUNS.join('|')})s\\b`)
        : new RegExp(`\\b${n} (?:quiz )?(?:${PLURAL_NOUNS.join('|')})\\b(?!s)`);
    const found = MESSAGE_KEYS.map((key) => `${key}: ${render('en', key, n)}`).filter((s) => wrong.test(s));
    expect(found).toEqual([]);
  });

  it('no English message says "I know no"', () => {
    expect(MESSAGE_KEYS.filter((key) => /\bI know no\b/.test(render('en', key)))).toEqual([]);
  });
});
