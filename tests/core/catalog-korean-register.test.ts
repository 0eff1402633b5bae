import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOG_DIR, realCatalog } from '../helpers/catalog.ts';

/**
 * The sentence endings of 한다체 and 합니다체 left in Korean text, one per offending sentence. 해요체 never ends a
 * sentence in 다, a question in a bare 까 or 는가, or a suggestion in 자; a terse "이유는?" asks in neither register.
 * Noun-phrase options ("…하는 컨트롤러") end in a noun and pass.
 */
function plainEndings(text: string): string[] {
  const found: string[] = [];
  // A sentence ends at . ? ! followed by a space or the end, or at the end of the text. A gloss in brackets at
  // its end ("유지한다(reconcile)." or "기다린다(콜드 스타트).") is dropped first, and closing quotes before the
  // punctuation belong to the last word.
  const sentences = text.replace(/\([^()]*\)(?=[)"'」]*(?:[.?!]|$))/g, '');
  for (const match of sentences.matchAll(/(\S+?)[)"'」]*([.?!]+)(?=\s|$)|(\S+?)[)"'」]*$/g)) {
    const word = match[1] ?? match[3] ?? '';
    const mark = match[2] ?? '';
    if (!/[가-힣]$/.test(word)) continue;
    if (
      /다$/.test(word) ||
      (mark.startsWith('?') && /(?<!요)(까|[은는가])$/.test(word)) ||
      (mark.startsWith('.') && /[자라]$/.test(word))
    )
      found.push(match[0]);
  }
  return found;
}

/** Every ending that is not 해요체, named by where its text stands. */
function offendersIn(texts: readonly { where: string; ko: string }[]): string[] {
  return texts.flatMap(({ where, ko }) => plainEndings(ko).map((ending) => `${where}: …${ending}`));
}

interface Bilingual {
  ko: string;
}
interface Question {
  id: string;
  question: Bilingual;
  options: Bilingual[];
  explanation: Bilingual;
}

async function quizTexts(): Promise<{ where: string; ko: string }[]> {
  const dir = join(CATALOG_DIR, 'quizzes');
  const out: { where: string; ko: string }[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort()) {
    const { questions } = parse(await readFile(join(dir, file), 'utf8')) as { questions: Question[] };
    for (const q of questions) {
      out.push({ where: `${file} ${q.id} question`, ko: q.question.ko });
      q.options.forEach((o, i) => {
        out.push({ where: `${file} ${q.id} option ${i}`, ko: o.ko });
      });
      out.push({ where: `${file} ${q.id} explanation`, ko: q.explanation.ko });
    }
  }
  return out;
}

/** Every Korean text of the roadmap but titles: track summaries, lesson goals, points and checks, resource notes. */
async function roadmapTexts(): Promise<{ where: string; ko: string }[]> {
  const out: { where: string; ko: string }[] = [];
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(v, `${where}.${i}`);
      });
    } else if (value !== null && typeof value === 'object')
      for (const [key, v] of Object.entries(value)) {
        if (key === 'title') continue;
        if (key === 'ko') for (const ko of [v].flat()) out.push({ where, ko: String(ko) });
        else walk(v, `${where}.${key}`);
      }
  };
  walk(parse(await readFile(join(CATALOG_DIR, 'roadmap.yaml'), 'utf8')), 'roadmap.yaml');
  return out;
}

/** The Korean explanation of every glossary concept (names are headings and exempt). */
async function conceptTexts(): Promise<{ where: string; ko: string }[]> {
  const dir = join(CATALOG_DIR, 'concepts');
  const out: { where: string; ko: string }[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort()) {
    const { concepts } = parse(await readFile(join(dir, file), 'utf8')) as {
      concepts: { id: string; explanation: Bilingual }[];
    };
    for (const c of concepts) out.push({ where: `${file} ${c.id} explanation`, ko: c.explanation.ko });
  }
  return out;
}

/** Every Korean text of every tool card: summary, description, concepts, use cases, when to pick, first step. */
async function toolTexts(): Promise<{ where: string; ko: string }[]> {
  const dir = join(CATALOG_DIR, 'tools');
  const out: { where: string; ko: string }[] = [];
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(v, `${where}.${i}`);
      });
    } else if (value !== null && typeof value === 'object')
      for (const [key, v] of Object.entries(value)) {
        if (key === 'ko') for (const ko of [v].flat()) out.push({ where, ko: String(ko) });
        else walk(v, `${where}.${key}`);
      }
  };
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort())
    walk(parse(await readFile(join(dir, file), 'utf8')), file);
  return out;
}

describe('Korean catalog text', () => {
  it('finds the endings of 한다체 and 합니다체 that the quiz files used to have', () => {
    // Sentences as they stood before the quizzes moved to 해요체.
    expect(plainEndings('이 매니페스트를 적용했다. 스케줄러가 고르는 노드는 무엇일까?')).toEqual([
      '적용했다.',
      '무엇일까?',
    ]);
    expect(plainEndings('kubelet이 컨테이너를 다시 띄운다')).toEqual(['띄운다']);
    expect(plainEndings('API 서버는 요청을 etcd에 제출할 뿐이다.')).toEqual(['뿐이다.']);
    expect(plainEndings('원하는 상태를 유지한다(reconcile).')).toEqual(['유지한다.']);
    expect(plainEndings('첫 요청은 파드가 뜰 때까지 기다린다(콜드 스타트).')).toEqual(['기다린다.']);
    expect(plainEndings('프록시가 트래픽을 가로챕니다. 앱은 그대로입니다.')).toEqual([
      '가로챕니다.',
      '그대로입니다.',
    ]);
    expect(plainEndings('가장 유력한 원인은?')).toEqual(['원인은?']);
    expect(plainEndings('RBAC로 get 권한을 제한하자.')).toEqual(['제한하자.']);
  });

  it('lets 해요체 sentences, noun-phrase options and code pass', () => {
    for (const ok of [
      '이 매니페스트를 적용했어요. 스케줄러가 고르는 노드는 무엇일까요?',
      'kubelet이 컨테이너를 다시 띄워요',
      '원하는 상태를 계속 맞춰 가는 컨트롤러',
      '둘 다 컨피그맵에 넣어요. 시크릿은 TLS 인증서 전용이니까요',
      'minikube kubectl -- get pods -A',
      '어떻게 하나요?',
      'kubectl이 먼저 검증해요.',
    ])
      expect(plainEndings(ok), ok).toEqual([]);
  });

  it('is in 해요체 in every question, option and explanation', async () => {
    expect(offendersIn(await quizTexts())).toEqual([]);
  });

  it('is in 해요체 in the roadmap too, where lessons speak to the reader (titles are headings and exempt)', async () => {
    expect(offendersIn(await roadmapTexts())).toEqual([]);
  });

  it('is in 해요체 in the glossary, where concept cards explain a word', async () => {
    const texts = await conceptTexts();
    expect(texts.length).toBeGreaterThanOrEqual(80);
    expect(offendersIn(texts)).toEqual([]);
  });

  it('is in 해요체 in every category summary, which category lists and advice replies show', async () => {
    const catalog = await realCatalog();
    const texts = catalog.categories
      .filter((c) => c.source === 'curated')
      .map((c) => ({ where: `categories.yaml ${c.id}`, ko: c.summary.ko }));
    expect(texts.length).toBeGreaterThanOrEqual(8);
    expect(offendersIn(texts)).toEqual([]);
  });

  it('is in 해요체 on every tool card, so a card does not mix registers with the replies around it', async () => {
    const texts = await toolTexts();
    expect(texts.length).toBeGreaterThanOrEqual(150);
    expect(offendersIn(texts)).toEqual([]);
  });
});
