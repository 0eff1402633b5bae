import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolFile } from '../../src/catalog/schema.ts';
import {
  type CatalogProblem,
  MAX_FILE_BYTES,
  MAX_PROBLEMS,
  parseYaml,
  validate,
} from '../../src/catalog/yaml-source.ts';
import { loadCatalog } from '../../src/index.ts';
import { CATALOG_DIR, catalogCopy, editFile, realCatalog } from '../helpers/catalog.ts';

const SEED_TOOLS = [
  'emissary-ingress',
  'coredns',
  'etcd',
  'grpc',
  'kubernetes',
  'crossplane',
  'karmada',
  'knative',
  'volcano',
  'istio',
  'linkerd',
  'envoy',
  'contour',
  'minikube',
  'rancher',
];
const SEED_CATEGORIES = [
  'api-gateway',
  'coordination-service-discovery',
  'remote-procedure-call',
  'scheduling-orchestration',
  'service-mesh',
  'service-proxy',
];

async function problemsAfter(file: string, edit: (text: string) => string) {
  const dir = await catalogCopy();
  await editFile(dir, file, edit);
  const result = await loadCatalog(dir);
  if (result.ok) throw new Error('expected the broken catalog to be refused');
  return result.problems.map((p) => ({ ...p, file: p.file.slice(dir.length + 1) }));
}

describe('the real catalog', () => {
  it('loads without problems', async () => {
    const result = await loadCatalog(CATALOG_DIR);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('has every seed tool, minikube and rancher, and the six seed categories', async () => {
    const catalog = await realCatalog();
    expect(catalog.tools.map((t) => t.id).sort()).toEqual([...SEED_TOOLS].sort());
    for (const id of SEED_CATEGORIES) expect(catalog.categoryById.has(id)).toBe(true);
    expect(catalog.toolById.get('minikube')?.category).toBe('local-development');
    expect(catalog.toolById.get('rancher')?.category).toBe('cluster-management');
  });

  it('knows former names and Korean spellings as aliases', async () => {
    const catalog = await realCatalog();
    const aliases = (id: string) => {
      const tool = catalog.toolById.get(id);
      return tool?.source === 'curated' ? tool.aliases.map((a) => a.toLowerCase()) : [];
    };
    expect(aliases('emissary-ingress')).toContain('ambassador');
    expect(aliases('istio')).toContain('이스티오');
    expect(aliases('kubernetes')).toEqual(expect.arrayContaining(['k8s', '쿠버네티스']));
  });

  it('records CNCF maturity as the landscape does', async () => {
    const catalog = await realCatalog();
    const maturity = Object.fromEntries(catalog.tools.map((t) => [t.id, t.maturity]));
    expect(maturity).toMatchObject({
      kubernetes: 'graduated',
      istio: 'graduated',
      envoy: 'graduated',
      etcd: 'graduated',
      coredns: 'graduated',
      linkerd: 'graduated',
      crossplane: 'graduated',
      knative: 'graduated',
      grpc: 'incubating',
      'emissary-ingress': 'incubating',
      contour: 'incubating',
      karmada: 'incubating',
      volcano: 'incubating',
      minikube: 'none',
      rancher: 'none',
    });
  });
});

describe('a broken catalog', () => {
  it('reports an unknown field with its file and line', async () => {
    const problems = await problemsAfter('tools/istio.yaml', (t) =>
      t.replace(/^name: Istio$/m, 'name: Istio\ncolour: blue'),
    );
    expect(problems).toContainEqual({ file: 'tools/istio.yaml', line: 3, message: 'unknown field "colour"' });
  });

  it('reports a missing language on the line of its parent', async () => {
    const problems = await problemsAfter('tools/etcd.yaml', (t) =>
      t.replace(/^summary:\n {2}en: .*\n/m, 'summary:\n'),
    );
    const problem = problems.find((p) => p.file === 'tools/etcd.yaml' && p.message.includes('English'));
    expect(problem?.message).toBe('missing English text in summary');
    expect(problem?.line).toBeGreaterThan(1);
  });

  it('reports a duplicate alias, an unknown related tool and an unknown category all at once', async () => {
    const dir = await catalogCopy();
    await editFile(dir, 'tools/linkerd.yaml', (t) => t.replace(/^aliases: \[/m, 'aliases: [이스티오, '));
    await editFile(dir, 'tools/envoy.yaml', (t) => t.replace(/^related: \[/m, 'related: [nginx, '));
    await editFile(dir, 'tools/contour.yaml', (t) =>
      t.replace(/^category: .*$/m, 'category: ingress-things'),
    );
    const result = await loadCatalog(dir);
    expect(result.ok).toBe(false);
    const messages = result.ok
      ? []
      : result.problems.map((p) => `${p.file.slice(dir.length + 1)}:${p.line}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tools\/linkerd\.yaml:\d+: alias "이스티오" is already used by tool "istio"$/),
        expect.stringMatching(/^tools\/envoy\.yaml:\d+: related tool "nginx" does not exist$/),
        expect.stringMatching(/^tools\/contour\.yaml:\d+: unknown category "ingress-things"/),
      ]),
    );
  });

  it('reports a duplicate id when two files claim the same tool', async () => {
    const problems = await problemsAfter('tools/volcano.yaml', (t) =>
      t.replace(/^id: volcano$/m, 'id: karmada'),
    );
    expect(problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        'id "karmada" should match the file name "volcano"',
        'duplicate tool id "karmada"',
      ]),
    );
  });

  it('reports a YAML syntax error with its line', async () => {
    const problems = await problemsAfter(
      'tools/grpc.yaml',
      (t) => `${t.split('\n').slice(0, 4).join('\n')}\nbad: [unclosed\n`,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toBe('tools/grpc.yaml');
    // yaml reports an unclosed flow sequence where the file ends, just after the broken line.
    expect(problems[0]?.line).toBeGreaterThanOrEqual(5);
    expect(problems[0]?.line).toBeLessThanOrEqual(6);
    expect(problems[0]?.message).toMatch(/^YAML: /);
  });

  it('reports quiz questions with a bad answer, a repeated option and unknown references', async () => {
    const dir = await catalogCopy();
    const question = (id: string, extra: string) =>
      [
        `  - id: ${id}`,
        '    question: { en: "Which?", ko: "어느 것?" }',
        '    options:',
        '      - { en: "One", ko: "하나" }',
        '      - { en: "Two", ko: "둘" }',
        '    explanation: { en: "Because.", ko: "왜냐하면." }',
        ...extra.split('\n').map((l) => `    ${l}`),
      ].join('\n');
    await mkdir(join(dir, 'quizzes'), { recursive: true });
    await writeFile(
      join(dir, 'quizzes', 'broken.yaml'),
      [
        'questions:',
        question('q-answer', 'tool: istio\nanswer: 2'),
        question('q-ref', 'tool: nginx\nlesson: no-such-lesson\nanswer: 0'),
        question('q-ok', 'category: service-mesh\nanswer: 1'),
        question('q-ok', 'tool: envoy\nanswer: 0'),
      ].join('\n'),
    );
    const result = await loadCatalog(dir);
    const messages = result.ok ? [] : result.problems.map((p) => `${p.line}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^\d+: questions\.0\.answer: answer must be the index of one of the options$/),
      expect.stringMatching(/^\d+: question "q-ref" names unknown tool "nginx"$/),
      expect.stringMatching(/^\d+: question "q-ref" names unknown lesson "no-such-lesson"$/),
      expect.stringMatching(/^\d+: duplicate question id "q-ok" \(also in broken\.yaml\)$/),
    ]);
  });

  it('reports a roadmap lesson that names an unknown tool', async () => {
    const problems = await problemsAfter('roadmap.yaml', (t) =>
      t.replace(/tools: \[kubernetes/, 'tools: [kubernetez'),
    );
    expect(
      problems.some(
        (p) => p.file === 'roadmap.yaml' && /unknown tool "kubernetez"/.test(p.message) && p.line > 1,
      ),
    ).toBe(true);
  });
});

describe('lesson coverage', () => {
  it('refuses a lesson with fewer than three questions of its own, on the line of its id', async () => {
    const dir = await catalogCopy();
    // Two of the capstone's three questions lose their lesson: one left, so one problem for that lesson only.
    const drop = (t: string) => t.replace('\n    lesson: final-capstone-project\n', '\n');
    await editFile(dir, 'quizzes/case-studies.yaml', (t) => drop(drop(t)));
    const result = await loadCatalog(dir);
    const problems = result.ok
      ? []
      : result.problems.map((p) => ({ ...p, file: p.file.slice(dir.length + 1) }));
    const roadmapLines = (await readFile(join(dir, 'roadmap.yaml'), 'utf8')).split('\n');
    const idLine = roadmapLines.findIndex((l) => l.trim() === '- id: final-capstone-project') + 1;
    expect(problems).toEqual([
      {
        file: 'roadmap.yaml',
        line: idLine,
        message: 'lesson "final-capstone-project" has 1 quiz question of its own; it needs at least 3',
      },
    ]);
  });
});

describe('a very large or very broken file', () => {
  /** The istio file with `count` unknown keys appended. */
  const withUnknownKeys =
    (count: number, key = (i: number) => `extra${i}`) =>
    (text: string) =>
      `${text}${Array.from({ length: count }, (_, i) => `${key(i)}: ${i}\n`).join('')}`;

  it('validates a file of many unknown keys in linear time', async () => {
    const text = await readFile(join(CATALOG_DIR, 'tools/istio.yaml'), 'utf8');
    // The fastest of a few runs, so a busy machine does not decide; quadratic work (a scan of the map per key, or
    // yaml's own duplicate-key check) grows 16 times from 10,000 keys to 40,000, linear work 4 times.
    const fastest = (count: number): number => {
      const file = withUnknownKeys(count)(text);
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 3; run++) {
        const t0 = performance.now();
        const problems: CatalogProblem[] = [];
        const source = parseYaml(file, 'istio.yaml', problems);
        if (source) validate(source, ToolFile, problems);
        best = Math.min(best, performance.now() - t0);
        expect(problems).toHaveLength(count);
      }
      return best;
    };
    const small = fastest(10_000);
    const large = fastest(40_000);
    expect(
      large / small,
      `10,000 keys ${small.toFixed(0)} ms, 40,000 keys ${large.toFixed(0)} ms`,
    ).toBeLessThan(9);
  });

  it('reports the first 50 problems, says how many more, and shortens long messages', async () => {
    const dir = await catalogCopy();
    await editFile(dir, 'tools/istio.yaml', withUnknownKeys(40_000));
    const result = await loadCatalog(dir);
    if (result.ok) throw new Error('expected the broken catalog to be refused');
    expect(result.problems).toHaveLength(MAX_PROBLEMS);
    expect(result.omitted).toBe(40_000 - MAX_PROBLEMS);
    const lines = (await readFile(join(dir, 'tools/istio.yaml'), 'utf8')).split('\n');
    expect(result.problems[1]).toMatchObject({
      line: lines.indexOf('extra1: 1') + 1,
      message: 'unknown field "extra1"',
    });

    const long = await problemsAfter('tools/envoy.yaml', (t) =>
      t.replace(/^related: \[/m, `related: [${'a'.repeat(5000)}, `),
    );
    expect(long).toHaveLength(1);
    expect(long[0]?.message).toMatch(/^related tool "aaa+…$/);
    expect(long[0]?.message.length).toBeLessThanOrEqual(301);
  });

  it('refuses a file over the size limit with its name, line 1 and the limit', async () => {
    const dir = await catalogCopy();
    await editFile(dir, 'tools/istio.yaml', (t) => `${t}# ${'x'.repeat(MAX_FILE_BYTES)}\n`);
    const problems = await loadCatalog(dir).then((r) => (r.ok ? [] : r.problems));
    expect(problems).toEqual([
      {
        file: join(dir, 'tools/istio.yaml'),
        line: 1,
        message: expect.stringMatching(
          /^the file is 1\.0 MiB, over the limit of 1\.0 MiB for one catalog file/,
        ),
      },
    ]);
  });

  it('reports a repeated key on its own line', async () => {
    const problems = await problemsAfter('tools/istio.yaml', (t) =>
      t.replace(/^name: Istio$/m, 'name: Istio\nname: Istio again'),
    );
    expect(problems).toEqual([
      { file: 'tools/istio.yaml', line: 3, message: 'YAML: Map keys must be unique' },
    ]);
  });
});
