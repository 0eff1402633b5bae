import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseDocument, stringify } from 'yaml';
import { parseSnapshot } from '../../src/catalog/landscape-snapshot.ts';
import { type CatalogProblem, parseYaml } from '../../src/catalog/yaml-source.ts';
import { formatProblem, importLandscape, loadCatalog } from '../../src/index.ts';
import { QueryEngine } from '../../src/testing.ts';
import { CATALOG_DIR } from '../helpers/catalog.ts';
import {
  anyText,
  fuzzParams,
  fuzzTimeout,
  KOREAN_WORDS,
  logSlowest,
  mention,
  timed,
  timedAsync,
  trickyChar,
} from '../helpers/fuzz.ts';

// Loading reads and validates five small files; only a runaway parse comes near this.
const LOAD_BOUND_MS = 250;

// ---------------------------------------------------------------------------------------------------------------
// A tiny catalog cut from the real one: every kind of file, two tools that reference each other, one lesson and
// a few questions, so a load takes milliseconds and the unmutated catalog is valid.

const dir = await mkdtemp(join(tmpdir(), 'orch-fuzz-catalog-'));
const real = (name: string): Promise<string> => readFile(join(CATALOG_DIR, name), 'utf8');

const roadmap = parse(await real('roadmap.yaml')) as {
  tracks: { lessons: { id: string; tools: string[] }[] }[];
  resources: unknown[];
};
const track = roadmap.tracks[0];
const lesson = track?.lessons[0];
if (!track || !lesson) throw new Error('the real roadmap has a first lesson');
lesson.tools = ['etcd'];
track.lessons = [lesson];

const ecosystem = parse(await real('quizzes/ecosystem.yaml')) as {
  questions: { tool?: string; lesson?: string }[];
};
const questions = ecosystem.questions.filter((q) => q.tool === 'etcd' || q.tool === 'coredns').slice(0, 3);
// The tiny roadmap's one lesson needs three questions of its own, like every lesson of a valid catalog.
for (const q of questions) q.lesson = lesson.id;

const ORIGINAL = new Map<string, string>([
  ['categories.yaml', await real('categories.yaml')],
  ['tools/etcd.yaml', (await real('tools/etcd.yaml')).replace(/^related: .*$/m, 'related: [coredns]')],
  ['tools/coredns.yaml', (await real('tools/coredns.yaml')).replace(/^related: .*$/m, 'related: [etcd]')],
  ['roadmap.yaml', stringify({ tracks: [track], resources: roadmap.resources.slice(0, 2) })],
  ['quizzes/tiny.yaml', stringify({ questions })],
  // One glossary concept, naming both tools, links the one lesson, as every lesson of a valid catalog is linked.
  [
    'concepts/tiny.yaml',
    stringify({
      concepts: [
        {
          id: 'raft',
          name: { en: 'Raft consensus', ko: '래프트 합의 알고리즘' },
          aliases: ['quorum', '쿼럼'],
          explanation: {
            en: 'Members elect a leader. Writes need a majority.',
            ko: '리더를 뽑아요. 쓰기는 과반수가 필요해요.',
          },
          tools: ['etcd', 'coredns'],
          lessons: [lesson.id],
        },
      ],
    }),
  ],
]);
await mkdir(join(dir, 'tools'));
await mkdir(join(dir, 'quizzes'));
await mkdir(join(dir, 'concepts'));
for (const [name, text] of ORIGINAL) await writeFile(join(dir, name), text);

afterAll(async () => {
  logSlowest('catalog loader');
  await rm(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------
// What any load must give: a catalog, or problems each naming a file of the catalog and a line inside it.

const lineCount = (text: string): number => text.split(/\r\n|\r|\n/).length;

async function expectLoadsOrLocatesProblems(written: Map<string, string>): Promise<void> {
  const label = `loadCatalog with ${[...written].map(([n, t]) => `${n} (${t.length} units)`).join(', ')}`;
  const result = await timedAsync(label, () => loadCatalog(dir), LOAD_BOUND_MS);
  if (result.ok) {
    // A catalog that loads must also serve: the engine indexes whatever names the fuzzed file gave it.
    const engine = timed('new QueryEngine', () => new QueryEngine(result.catalog));
    for (const tool of result.catalog.tools) engine.answer(tool.name);
    return;
  }
  expect(result.problems.length).toBeGreaterThan(0);
  for (const p of result.problems) {
    const name = p.file.startsWith(`${dir}/`) ? p.file.slice(dir.length + 1) : p.file;
    const text = written.get(name) ?? ORIGINAL.get(name);
    expect(text, `a problem in a file that does not exist: ${formatProblem(p)}`).toBeDefined();
    expect(Number.isInteger(p.line), formatProblem(p)).toBe(true);
    expect(p.line, formatProblem(p)).toBeGreaterThanOrEqual(1);
    expect(p.line, formatProblem(p)).toBeLessThanOrEqual(lineCount(text ?? ''));
    expect(p.message.trim().length, formatProblem(p)).toBeGreaterThan(0);
  }
}

/** Writes `content` as `name`, loads, checks, and puts the tiny catalog back as it was. */
async function loadWith(name: string, content: string | Uint8Array): Promise<void> {
  const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
  await writeFile(join(dir, name), content);
  try {
    await expectLoadsOrLocatesProblems(new Map([[name, text]]));
  } finally {
    const original = ORIGINAL.get(name);
    if (original === undefined) await rm(join(dir, name), { force: true });
    else await writeFile(join(dir, name), original);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Generators

const TOOL_KEYS = [
  'id',
  'name',
  'category',
  'maturity',
  'maturityNote',
  'homepage',
  'repository',
  'docs',
  'aliases',
  'tags',
  'related',
  'summary',
  'description',
  'concepts',
  'useCases',
  'whenToPick',
  'firstStep',
  'text',
  'command',
  'en',
  'ko',
  'questions',
  'options',
  'answer',
  'explanation',
  'tracks',
  'lessons',
  'categories',
  'constructor',
  '__proto__',
  'toString',
  '<<',
];
const YAML_VALUES = [
  'etcd',
  'coredns',
  'coordination-service-discovery',
  'graduated',
  'none',
  'https://etcd.io/',
  'http://x',
  'https://',
  '[etcd, coredns]',
  '[]',
  '{}',
  '{ en: A, ko: 가 }',
  '{ en: "", ko: " " }',
  '~',
  'null',
  'true',
  'no',
  '0',
  '-1',
  '1e400',
  '.nan',
  '0x1F',
  '2020-01-01',
  '"\\u0000\\x7f\\ud800"',
  "'it''s'",
  '"unterminated',
  '>-',
  '|',
  '|-',
  '&a',
  '&a [x, y]',
  '*a',
  '*missing',
  '!!str 1',
  '!!binary aGVsbG8=',
  '!!set { a, b }',
  '!!omap [ a: 1 ]',
  '!!timestamp 2001-12-14',
  '!foo bar',
  '!<tag:yaml.org,2002:str> x',
  '? complex',
  '- item',
  '#comment',
  '---',
  '...',
  '%YAML 1.1',
  '%TAG ! tag:x,2000:',
  '"\\',
  '@',
  '`',
  '\t',
  'a: b: c',
];

const yamlWord = fc.oneof(
  fc.constantFrom(...YAML_VALUES),
  fc.constantFrom(...KOREAN_WORDS),
  trickyChar,
  mention,
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

/** One line that looks like YAML: indentation, maybe a list dash, a key and a value, in every odd form. */
const yamlLine = fc
  .tuple(
    fc.constantFrom('', '  ', '    ', '      ', ' ', '   ', '\t', '  \t'),
    fc.constantFrom('', '', '- ', '? ', ': '),
    fc.option(fc.oneof(fc.constantFrom(...TOOL_KEYS), yamlWord), { nil: undefined }),
    fc.array(yamlWord, { maxLength: 3 }),
  )
  .map(
    ([indent, dash, key, values]) =>
      `${indent}${dash}${key === undefined ? '' : `${key}: `}${values.join(' ')}`,
  );

const yamlish = fc.array(yamlLine, { maxLength: 30 }).map((lines) => lines.join('\n'));

// A "billion laughs" file: each level refers ten times to the one before.
const LAUGHS = [
  'a: &a [x, x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'id: *d',
].join('\n');

const content = fc.oneof(
  { weight: 3, arbitrary: yamlish },
  { weight: 2, arbitrary: anyText([...YAML_VALUES, ...TOOL_KEYS], 2000) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) },
);

const TARGETS = [...ORIGINAL.keys(), 'tools/fuzz.yaml'];

// Edits of a valid file, as a careless hand or a bad merge would make them.
type Edit =
  | { op: 'drop' | 'duplicate'; line: number }
  | { op: 'swapLines'; line: number; other: number }
  | { op: 'swapValues'; line: number; other: number }
  | { op: 'insert' | 'replace'; line: number; column: number; text: string }
  | { op: 'indent'; line: number; by: string }
  | { op: 'truncate'; at: number };

const position = fc.nat(10_000);
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constantFrom('drop', 'duplicate'), line: position }),
  fc.record({ op: fc.constant('swapLines'), line: position, other: position }),
  fc.record({ op: fc.constant('swapValues'), line: position, other: position }),
  fc.record({
    op: fc.constantFrom('insert', 'replace'),
    line: position,
    column: position,
    text: fc.oneof(yamlWord, yamlLine, fc.string({ unit: 'binary', maxLength: 10 }), fc.constant(LAUGHS)),
  }),
  fc.record({ op: fc.constant('indent'), line: position, by: fc.constantFrom('', ' ', '  ', '\t', '    ') }),
  fc.record({ op: fc.constant('truncate'), at: position }),
) as fc.Arbitrary<Edit>;

function applyEdits(text: string, edits: readonly Edit[]): string {
  let lines = text.split('\n');
  for (const e of edits) {
    if (lines.length === 0) lines = [''];
    const i = 'line' in e ? e.line % lines.length : 0;
    const line = lines[i] ?? '';
    switch (e.op) {
      case 'drop':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, line);
        break;
      case 'swapLines': {
        const j = e.other % lines.length;
        [lines[i], lines[j]] = [lines[j] ?? '', line];
        break;
      }
      case 'swapValues': {
        // "key: value" lines exchange their values, so a field gets a value of the wrong kind.
        const j = e.other % lines.length;
        const a = /^(\s*-?\s*[\w-]+:)(.*)$/.exec(line);
        const b = /^(\s*-?\s*[\w-]+:)(.*)$/.exec(lines[j] ?? '');
        if (a && b) {
          lines[i] = `${a[1]}${b[2]}`;
          lines[j] = `${b[1]}${a[2]}`;
        }
        break;
      }
      case 'insert':
      case 'replace': {
        const column = e.column % (line.length + 1);
        lines[i] = e.op === 'insert' ? line.slice(0, column) + e.text + line.slice(column) : e.text;
        break;
      }
      case 'indent':
        lines[i] = e.by + line.trimStart();
        break;
      case 'truncate':
        lines = lines
          .join('\n')
          .slice(0, e.at % (text.length + 1))
          .split('\n');
        break;
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

describe('the catalog loader on arbitrary files', () => {
  it('loads the tiny catalog as cut', async () => {
    const result = await loadCatalog(dir);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
  });

  it(
    'answers any bytes or text written as a tool file with a catalog or problems at file:line',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom<string>('tools/fuzz.yaml', 'tools/etcd.yaml'), content, loadWith),
        fuzzParams<[string, string | Uint8Array]>(120, [
          ['tools/etcd.yaml', LAUGHS],
          ['tools/fuzz.yaml', '*a'],
          ['tools/fuzz.yaml', '\ufeff'],
          ['tools/etcd.yaml', 'id: etcd\nid: etcd'],
        ]),
      );
    },
    fuzzTimeout(20_000),
  );

  it(
    'answers any text in any catalog file the same way',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...TARGETS), content, loadWith),
        fuzzParams<[string, string | Uint8Array]>(80, [
          ['quizzes/tiny.yaml', LAUGHS],
          ['roadmap.yaml', 'tracks: *none'],
        ]),
      );
    },
    fuzzTimeout(20_000),
  );

  it(
    'locates every problem of a mutilated valid file (lines dropped, values swapped, garbage inserted)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ORIGINAL.keys()),
          fc.array(edit, { minLength: 1, maxLength: 6 }),
          async (name, edits) => loadWith(name, applyEdits(ORIGINAL.get(name) ?? '', edits)),
        ),
        fuzzParams(200),
      );
    },
    fuzzTimeout(20_000),
  );

  it('reads aliases in a question file as the values they name', async () => {
    // The same object twice makes yaml write an anchor and an alias (&a1 … *a1).
    const first = questions[0] as { explanation?: unknown };
    const aliased = stringify({
      questions: questions.map((q) => ({ ...q, explanation: first.explanation })),
    });
    expect(aliased).toMatch(/\*a1/);
    await writeFile(join(dir, 'quizzes/tiny.yaml'), aliased);
    try {
      const result = await loadCatalog(dir);
      expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
    } finally {
      await writeFile(join(dir, 'quizzes/tiny.yaml'), ORIGINAL.get('quizzes/tiny.yaml') ?? '');
    }
  });

  it('finds the repeated keys yaml finds, on the same lines', () => {
    // yaml's own check is quadratic, so the loader checks keys itself; both must agree on any text that is otherwise
    // valid YAML (after a syntax error yaml's composition, and so its check, goes its own way). Only the line of an
    // empty key (": x" twice) may differ: yaml places it at the indicator, the loader where the empty node is.
    const lines = (text: string) => {
      const problems: CatalogProblem[] = [];
      parseYaml(text, 'fuzz.yaml', problems);
      const ours = problems.filter((p) => p.message === 'YAML: Map keys must be unique').map((p) => p.line);
      const errors = parseDocument(text, { uniqueKeys: true, prettyErrors: true, logLevel: 'silent' }).errors;
      fc.pre(errors.every((e) => e.code === 'DUPLICATE_KEY'));
      return { ours, theirs: errors.map((e) => e.linePos?.[0]?.line) };
    };
    fc.assert(
      fc.property(yamlish, (text) => {
        const { ours, theirs } = lines(text);
        expect(ours.length).toBe(theirs.length);
      }),
      fuzzParams(100),
    );
    const keyed = fc.constantFrom(
      'a: 1',
      'b: 2',
      '  a: 3',
      '- a: 4',
      '{a: 1, a: 2}',
      'a: [b: 1, b: 2]',
      '"a": 5',
    );
    fc.assert(
      fc.property(fc.array(keyed, { maxLength: 12 }), (rows) => {
        const { ours, theirs } = lines(rows.join('\n'));
        expect(ours).toEqual(theirs);
      }),
      fuzzParams(300),
    );
  });

  it('reports an alias that names no anchor at the alias line', async () => {
    await writeFile(join(dir, 'tools/fuzz.yaml'), 'id: fuzz\nname: Fuzz\n\ncategory: *nope\n');
    try {
      const result = await loadCatalog(dir);
      expect(result.ok ? [] : result.problems.map((p) => formatProblem({ ...p, file: 'fuzz.yaml' }))).toEqual(
        ['fuzz.yaml:4: YAML: Unresolved alias (the anchor must be set before the alias): nope'],
      );
    } finally {
      await rm(join(dir, 'tools/fuzz.yaml'));
    }
  });
});

describe('the CNCF landscape import and its snapshot on arbitrary input', () => {
  it('imports any text as items and located skips, or located problems', () => {
    fc.assert(
      fc.property(fc.oneof(yamlish, content.map(String)), (text) => {
        const result = timed('importLandscape', () => importLandscape(text, 'landscape.yml'));
        const problems = 'problems' in result ? result.problems : result.skipped;
        for (const p of problems) expect(p.line, formatProblem(p)).toBeGreaterThanOrEqual(1);
      }),
      fuzzParams(200, [['landscape:\n  - name: x\n    subcategories: *a'], [LAUGHS]]),
    );
  });

  const text = fc.oneof(
    fc.constantFrom(
      'etcd',
      'Etcd',
      'coredns',
      'coordination-service-discovery',
      'https://github.com/etcd-io/etcd',
      '',
    ),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    trickyChar,
  );
  const item = fc.record(
    {
      source: fc.oneof(fc.constant('landscape'), fc.jsonValue()),
      id: fc.oneof(text, fc.jsonValue()),
      name: fc.oneof(text, text, fc.jsonValue()),
      category: fc.oneof(text, fc.jsonValue()),
      maturity: fc.oneof(fc.constantFrom('graduated', 'sandbox', 'none', 'retired'), fc.jsonValue()),
      homepage: fc.oneof(text, fc.jsonValue()),
      repository: fc.oneof(text, fc.jsonValue()),
      landscapeCategory: fc.oneof(text, fc.jsonValue()),
      landscapeSubcategory: fc.oneof(text, text, fc.jsonValue()),
      description: fc.oneof(text, fc.jsonValue()),
    },
    {
      requiredKeys: [
        'source',
        'id',
        'name',
        'category',
        'maturity',
        'landscapeCategory',
        'landscapeSubcategory',
      ],
    },
  );
  const snapshot = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        format: fc.constant('orch-landscape/1'),
        items: fc.array(item, { maxLength: 6 }),
      }),
    },
    { weight: 1, arbitrary: fc.jsonValue() },
  );

  it(
    'refuses a hand-edited snapshot with a reason, or loads it beside the catalog',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            snapshot.map((v) => JSON.stringify(v)),
            fc.string(),
          ),
          async (json) => {
            const parsed = parseSnapshot(json, 'landscape.json');
            if ('problem' in parsed) {
              expect(parsed.problem.length).toBeGreaterThan(0);
              return;
            }
            const result = await timedAsync(
              'loadCatalog',
              () => loadCatalog(dir, { landscape: parsed.items }),
              LOAD_BOUND_MS,
            );
            if (!result.ok) return;
            const engine = new QueryEngine(result.catalog);
            for (const tool of result.catalog.tools) {
              engine.answer(tool.name);
              engine.complete(tool.name);
            }
            for (const category of result.catalog.categories) engine.answer(category.name.en);
          },
        ),
        fuzzParams(150),
      );
    },
    fuzzTimeout(20_000),
  );
});
