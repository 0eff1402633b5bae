import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../adapters/console/cli.ts';
import { lessonOpen } from '../../src/actions/lesson-open.ts';
import type { LandscapeTool } from '../../src/catalog/model.ts';
import { loadCatalog, type Reply, toPlainText } from '../../src/index.ts';
import { QueryEngine } from '../../src/query/engine.ts';
import { generateConceptQuestions } from '../../src/quiz/generate.ts';
import { seededRandom } from '../../src/quiz/random.ts';
import type { Catalog } from '../../src/testing.ts';
import {
  ask,
  CATALOG_DIR,
  catalogCopy,
  command,
  editFile,
  realCatalog,
  testBot,
} from '../helpers/catalog.ts';

async function problemsAfter(edits: Record<string, (text: string) => string>) {
  const dir = await catalogCopy();
  for (const [file, edit] of Object.entries(edits)) await editFile(dir, file, edit);
  const result = await loadCatalog(dir);
  if (result.ok) throw new Error('expected the broken catalog to be refused');
  return result.problems.map((p) => `${p.file.slice(dir.length + 1)}:${p.line}: ${p.message}`);
}

const text = (reply: Reply | undefined): string =>
  toPlainText(reply ?? { visibility: 'channel', blocks: [] });

describe('the glossary in the catalog', () => {
  it('holds at least 80 concepts, each with names, an explanation of two to four sentences, tools and lessons', async () => {
    const catalog = await realCatalog();
    expect(catalog.concepts.length).toBeGreaterThanOrEqual(80);
    for (const c of catalog.concepts) {
      for (const lang of ['en', 'ko'] as const) {
        const sentences = c.explanation[lang].split(/(?<=[.?!])\s+/).length;
        expect(sentences, `${c.id} ${lang}`).toBeGreaterThanOrEqual(2);
        expect(sentences, `${c.id} ${lang}`).toBeLessThanOrEqual(4);
      }
      expect(c.lessons.length, c.id).toBeGreaterThan(0);
    }
  });

  it('links every lesson of the roadmap from at least one concept', async () => {
    const catalog = await realCatalog();
    const linked = new Set(catalog.concepts.flatMap((c) => c.lessons));
    expect(catalog.roadmap.lessons.filter((l) => !linked.has(l.id)).map((l) => l.id)).toEqual([]);
  });

  it('reports an unknown field, an unknown tool and lesson, a name taken by a tool and a missing language, each on its line', async () => {
    const problems = await problemsAfter({
      'concepts/kubernetes-workloads.yaml': (t) =>
        t
          .replace('  - id: pod\n', '  - id: pod\n    colour: blue\n')
          .replace('tools: [kubernetes, volcano]', 'tools: [kubernetes, nomad]')
          .replace('lessons: [k8s-deployments, minikube-deploy]', 'lessons: [k8s-deployments, k8s-yoga]')
          .replace('aliases: [statefulsets,', 'aliases: [이스티오, statefulsets,'),
      'concepts/service-mesh.yaml': (t) =>
        t.replace(/ {6}ko: >-\n {8}서비스 메시는[^\n]*\n(?: {8}[^\n]*\n)*/, ''),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^concepts\/kubernetes-workloads\.yaml:\d+: concepts\.0: unknown field "colour"$/,
        ),
        expect.stringMatching(
          /^concepts\/kubernetes-workloads\.yaml:\d+: concept "job" names unknown tool "nomad"$/,
        ),
        expect.stringMatching(
          /^concepts\/kubernetes-workloads\.yaml:\d+: concept "deployment" names unknown lesson "k8s-yoga"$/,
        ),
        expect.stringMatching(
          /^concepts\/kubernetes-workloads\.yaml:\d+: alias "이스티오" is already used by tool "istio"$/,
        ),
        expect.stringMatching(
          /^concepts\/service-mesh\.yaml:\d+: missing Korean text in concepts\.0\.explanation$/,
        ),
      ]),
    );
    // Each problem points at its own line, not the file's first: "colour" sits right under the pod's id, wherever
    // the file's header comment leaves that.
    const line = (pattern: RegExp) => Number(problems.find((p) => pattern.test(p))?.split(':')[1]);
    const workloads = await readFile(join(CATALOG_DIR, 'concepts/kubernetes-workloads.yaml'), 'utf8');
    expect(line(/"colour"/)).toBe(workloads.split('\n').indexOf('  - id: pod') + 2);
    expect(line(/"nomad"/)).toBeGreaterThan(line(/"colour"/));
  });

  it('reports a concept id used twice across files and a name shared by two concepts', async () => {
    const problems = await problemsAfter({
      'concepts/service-mesh.yaml': (t) =>
        t
          .replace('  - id: data-plane\n', '  - id: pod\n')
          .replace('aliases: [dataplane,', 'aliases: [파드, dataplane,'),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^concepts\/service-mesh\.yaml:\d+: duplicate concept id "pod" \(also in kubernetes-workloads\.yaml\)$/,
        ),
        expect.stringMatching(
          /^concepts\/service-mesh\.yaml:\d+: alias "파드" is already used by concept "pod"$/,
        ),
      ]),
    );
  });

  it('refuses a lesson no concept links, on the line of its id in the roadmap', async () => {
    const problems = await problemsAfter({
      'concepts/service-mesh.yaml': (t) =>
        t.replace('lessons: [emissary-ingress-gateway]', 'lessons: [envoy-proxy]'),
    });
    const found = problems.find((p) => p.includes('"emissary-ingress-gateway"'));
    expect(found).toMatch(/^roadmap\.yaml:\d+: lesson "emissary-ingress-gateway" is linked by no concept/);
    const line = Number(found?.split(':')[1]);
    const roadmap = (await readFile(join(CATALOG_DIR, 'roadmap.yaml'), 'utf8')).split('\n');
    expect(roadmap[line - 1]).toContain('id: emissary-ingress-gateway');
  });

  it('passes `orch catalog check`', async () => {
    const { code, stdout } = await cli(['catalog', 'check', CATALOG_DIR]);
    expect(code).toBe(0);
    expect(stdout).toContain('catalog OK');
  });
});

describe('looking a concept up', () => {
  it.each([
    ['파드', 'pod'],
    ['what is a pod', 'pod'],
    ['사이드카가 뭐야', 'sidecar'],
    ['pods', 'pod'],
    ['deplyoment', 'deployment'],
    ['HPA', 'hpa'],
    ['수평 파드 오토스케일러', 'hpa'],
    ['파드가 뭐야', 'pod'],
    ['쿠버네티스 pod가 뭐야', 'pod'],
    ['ㅅㅇㄷㅋ', 'sidecar'],
    ['카나리 배포란?', 'canary-release'],
    ['what is mTLS', 'mtls'],
    ['etcd raft', 'raft'],
    ['ambient mesh', 'ambient-mesh'],
    ['gateway api', 'gateway-api'],
    ['CRD가 뭐야', 'crd'],
  ])('%s is the concept %s', async (query, id) => {
    const engine = new QueryEngine(await realCatalog());
    expect(engine.answer(query)).toMatchObject({ intent: 'concept', conceptId: id });
  });

  it('keeps tool names first, lists a bare category name, and explains it when asked what it is', async () => {
    const engine = new QueryEngine(await realCatalog());
    expect(engine.answer('etcd')).toMatchObject({ intent: 'tool', toolIds: ['etcd'] });
    expect(engine.answer('what is istio')).toMatchObject({ intent: 'tool', toolIds: ['istio'] });
    expect(engine.answer('isito')).toMatchObject({ intent: 'tool', toolIds: ['istio'] });
    expect(engine.answer('service mesh')).toMatchObject({ intent: 'category', categoryId: 'service-mesh' });
    expect(engine.answer('서비스 메시')).toMatchObject({ intent: 'category', categoryId: 'service-mesh' });
    expect(engine.answer('what is a service mesh')).toMatchObject({
      intent: 'concept',
      conceptId: 'service-mesh',
    });
    expect(engine.answer('서비스 메시가 뭐야')).toMatchObject({
      intent: 'concept',
      conceptId: 'service-mesh',
    });
    expect(engine.answer('istio vs linkerd')).toMatchObject({ intent: 'compare' });
  });

  it('lets a landscape project with a concept’s exact name keep its name', async () => {
    const sidecar: LandscapeTool = {
      source: 'landscape',
      id: 'sidecar',
      name: 'Sidecar',
      category: 'service-proxy',
      maturity: 'sandbox',
      landscapeCategory: 'Orchestration & Management',
      landscapeSubcategory: 'Service Proxy',
    };
    const loaded = await loadCatalog(CATALOG_DIR, { landscape: [sidecar] });
    if (!loaded.ok) throw new Error('catalog');
    const engine = new QueryEngine(loaded.catalog);
    expect(engine.answer('sidecar')).toMatchObject({ intent: 'tool', toolIds: ['sidecar'] });
    expect(engine.answer('사이드카')).toMatchObject({ intent: 'concept', conceptId: 'sidecar' });
  });

  it('does not take description-style questions away from free-text search', async () => {
    const engine = new QueryEngine(await realCatalog());
    for (const query of ['distributed key value store', 'sidecar proxy', '로컬 클러스터 구축', 'asdfghjkl'])
      expect(engine.answer(query).intent, query).not.toBe('concept');
  });

  it('lists concepts a search describes after the tools it found', async () => {
    const [reply] = await ask('search traffic between revisions by percentage --lang en');
    expect(text(reply)).toContain('Concepts: Knative Service and revisions');
  });

  it('offers concepts, marked, in autocomplete, and the value picked answers the concept', async () => {
    const engine = new QueryEngine(await realCatalog());
    const [first] = engine.concepts.complete('사이드', 25);
    expect(first).toEqual({ name: '📖 Sidecar · 사이드카', value: 'what is Sidecar' });
    expect(engine.answer(first?.value ?? '')).toMatchObject({ intent: 'concept', conceptId: 'sidecar' });
    const [mesh] = engine.concepts.complete('service me', 25);
    expect(engine.answer(mesh?.value ?? '')).toMatchObject({ intent: 'concept', conceptId: 'service-mesh' });
  });
});

describe('the concept card', () => {
  it('explains, names the lessons with a button each, and the tools, in Korean', async () => {
    const [reply] = await ask('/orch 파드');
    expect(reply?.meta).toMatchObject({ intent: 'concept', conceptId: 'pod', lang: 'ko' });
    expect(reply?.visibility).toBe('channel');
    const plain = text(reply);
    expect(plain).toContain('파드는 쿠버네티스가 배포하는 가장 작은 단위예요');
    expect(plain).toContain('배우는 곳');
    expect(plain).toContain('3강 파드: 가장 작은 배포 단위');
    expect(plain).toContain('관련 도구');
    expect(plain).toContain('Kubernetes');
    const choices = reply?.blocks.find((b) => b.type === 'choices');
    expect(choices).toMatchObject({
      choices: [
        { actionId: lessonOpen.id, value: '3@ko', label: '📚 3강 열기' },
        { actionId: lessonOpen.id, value: '16@ko' },
      ],
    });
  });

  it('says the same in English', async () => {
    const [reply] = await ask('what is a pod --lang en');
    const plain = text(reply);
    expect(plain).toContain('A Pod is the smallest thing Kubernetes deploys');
    expect(plain).toContain('Learn it in');
    expect(plain).toContain('Lesson 3: Pods: the smallest deployable unit');
    const choices = reply?.blocks.find((b) => b.type === 'choices');
    expect(choices?.type === 'choices' ? choices.choices[0] : null).toEqual({
      actionId: lessonOpen.id,
      value: '3@en',
      label: '📚 Open lesson 3',
    });
  });

  it('opens the lesson privately for the member who pressed the button, and refuses a stale number', async () => {
    const bot = await testBot();
    const press = (value: string) =>
      bot.handle({ ...command(''), kind: 'choice', actionId: lessonOpen.id, value });
    const [lesson] = await press('3@ko');
    expect(lesson?.visibility).toBe('private');
    expect(text(lesson)).toContain('3강: 파드: 가장 작은 배포 단위 (전체 46강)');
    const [stale] = await press('999@en');
    expect(stale?.visibility).toBe('private');
    expect(text(stale)).not.toContain('Lesson 999');
  });

  it('answers `/orch tool <concept>` with the card', async () => {
    const [reply] = await ask('tool 사이드카');
    expect(reply?.meta).toMatchObject({ intent: 'concept', conceptId: 'sidecar' });
  });

  it('answers the issue’s concept questions through `orch ask --json`', async () => {
    for (const [query, id] of [
      ['파드가 뭐야', 'pod'],
      ['쿠버네티스 pod가 뭐야', 'pod'],
      ['what is a pod', 'pod'],
      ['사이드카가 뭐야', 'sidecar'],
    ] as const) {
      const { code, stdout } = await cli(['ask', query, '--json']);
      expect(code).toBe(0);
      expect(JSON.parse(stdout), query).toMatchObject({ intent: 'concept', conceptId: id });
    }
  });
});

describe('concept quiz questions', () => {
  it('asks "which concept does this describe" with four distinct names, exactly the described one right', async () => {
    const catalog: Catalog = await realCatalog();
    const questions = generateConceptQuestions(catalog, seededRandom(3));
    expect(questions.length).toBe(catalog.concepts.length);
    for (const q of questions) {
      const concept = catalog.conceptById.get(q.questionId.replace('gen-concept-', ''));
      if (!concept) throw new Error(q.questionId);
      expect(q.options).toHaveLength(4);
      expect(new Set(q.options.map((o) => o.en)).size).toBe(4);
      expect(q.options[q.answer]).toEqual(concept.name);
      expect(q.question.en).toMatch(/^Which concept does this describe\? "/);
      expect(q.question.ko).toMatch(/^어떤 개념을 설명하는 걸까요\? "/);
      // The explanation does not give the answer away by naming it.
      expect(q.question.ko.includes(concept.name.ko), q.questionId).toBe(false);
      const word = new RegExp(`\\b${concept.name.en.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i');
      expect(word.test(q.question.en), q.questionId).toBe(false);
      // No wrong option's concept is one the right one's explanation names, or that names it.
      for (const [i, option] of q.options.entries()) {
        if (i === q.answer) continue;
        expect(concept.explanation.en.toLowerCase().includes(option.en.toLowerCase()), q.questionId).toBe(
          false,
        );
      }
    }
  });

  it('puts concept questions in the generated pool, about their first tool', async () => {
    const catalog = await realCatalog();
    const { generateQuestions } = await import('../../src/quiz/generate.ts');
    const pod = generateQuestions(catalog, seededRandom(7)).find((q) => q.questionId === 'gen-concept-pod');
    expect(pod?.toolId).toBe('kubernetes');
  });
});

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function cli(args: string[]) {
  const stdout = new Sink();
  const stderr = new Sink();
  const data = await mkdtemp(join(tmpdir(), 'orch-concepts-'));
  const code = await main(args, { env: { ORCH_DATA_DIR: data }, stdin: new PassThrough(), stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
