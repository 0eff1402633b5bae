import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../src/actions/registry.ts';
import { ROOT } from './helpers/catalog.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(ts|mts|mjs|js)$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  return specsIn(readFileSync(file, 'utf8'));
}

function specsIn(text: string): string[] {
  return [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((m) => (m[1] ?? m[2]) as string);
}

const CHAT_SDK = /^(@slack\/|discord\.js|@discordjs\/)/;

describe('the dependency rule', () => {
  it('keeps chat SDKs, adapters and process.env out of src', () => {
    const problems: string[] = [];
    for (const file of filesUnder(join(ROOT, 'src'))) {
      const rel = relative(ROOT, file);
      for (const spec of importsOf(file)) {
        if (CHAT_SDK.test(spec) || spec.includes('adapters/')) problems.push(`${rel} imports ${spec}`);
      }
      if (/process\.env/.test(readFileSync(file, 'utf8'))) problems.push(`${rel} reads process.env`);
    }
    expect(problems).toEqual([]);
  });

  it('lets adapters import only src/index.ts from the core and never another adapter', () => {
    const problems: string[] = [];
    for (const file of filesUnder(join(ROOT, 'adapters'))) {
      const rel = relative(ROOT, file);
      const platform = rel.split('/')[1];
      for (const spec of importsOf(file)) {
        // src/testing.ts is for tests alone: what a process runs never builds its core from test doubles.
        if (spec.includes('/src/') && !spec.endsWith('/src/index.ts'))
          problems.push(`${rel} imports ${spec}`);
        const other = spec.match(/adapters\/([^/]+)/)?.[1] ?? spec.match(/^\.\.\/([^/.][^/]*)\//)?.[1];
        // The server process is the one composition root: it may start platforms through their platform.ts.
        const composes = platform === 'server' && /^\.\.\/(slack|discord)\/platform\.ts$/.test(spec);
        if (other && other !== platform && other !== 'src' && !spec.startsWith('../../') && !composes)
          problems.push(`${rel} imports ${spec}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('lets only the server reach into another adapter, and only its platform.ts', () => {
    const problems: string[] = [];
    for (const file of filesUnder(join(ROOT, 'adapters', 'server'))) {
      for (const spec of importsOf(file).filter((s) => /^\.\.\/(slack|discord|console)\//.test(s)))
        if (!/\/platform\.ts$/.test(spec)) problems.push(`${relative(ROOT, file)} imports ${spec}`);
    }
    expect(problems).toEqual([]);
  });

  it('keeps test fakes free of core imports', () => {
    const fakes = join(ROOT, 'tests', 'fakes');
    let files: string[] = [];
    try {
      files = filesUnder(fakes);
    } catch {
      files = [];
    }
    const problems = files.flatMap((f) =>
      importsOf(f)
        .filter((s) => s.includes('/src/'))
        .map((s) => `${relative(ROOT, f)} imports ${s}`),
    );
    expect(problems).toEqual([]);
  });

  it('detects a forbidden import when one is present', () => {
    // Guards the checker itself: a regex that matched nothing would pass every rule above.
    const sample = "import { App } from '@slack/bolt';\nconst x = await import('discord.js');";
    expect(specsIn(sample).filter((s) => CHAT_SDK.test(s))).toEqual(['@slack/bolt', 'discord.js']);
  });
});

/**
 * The layers of src, lowest first (numbered from 1 in messages, as ARCHITECTURE.md lists them): a file may import its own layer and the ones below, never one above. An entry is
 * a folder or a file of src; a file belongs to the longest entry its path starts with (`reply/model.ts` before
 * `reply`). The order is the one the code has: the Reply and Incoming models and the ports sit under everything that
 * speaks them, the catalog under the query engine that indexes it, the handlers (commands and actions) over the
 * services they call.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['i18n', 'defaults.ts', 'maturity.ts'],
  [
    'reply/model.ts',
    'reply/safe-text.ts',
    'reply/text-cut.ts',
    'reply/plain-text.ts',
    'incoming.ts',
    'config.ts',
  ],
  ['channel-key.ts', 'errors.ts', 'ports.ts'],
  ['store'],
  ['catalog'],
  ['query'],
  ['reply'],
  ['lessons', 'quiz', 'digest'],
  ['actions', 'commands', 'home', 'pages'],
  ['ops'],
  ['bot.ts'],
  ['runtime.ts', 'platform-connection.ts'],
  ['process-support.ts'],
  ['index.ts', 'testing.ts'],
];

/** The layer of a path relative to src, by the longest entry that holds it; -1 when no entry does. */
function layerOf(path: string): number {
  let best = { length: -1, layer: -1 };
  LAYERS.forEach((entries, layer) => {
    for (const entry of entries)
      if ((path === entry || path.startsWith(`${entry}/`)) && entry.length > best.length)
        best = { length: entry.length, layer };
  });
  return best.layer;
}

/**
 * A reply builder below the handlers makes its buttons through the action they run (`lessonDone.button(…)`): the
 * one way down that is allowed to point up, and only to an action's file for its `button` or `press`.
 */
function onlyBuildsButtons(text: string, spec: string): boolean {
  const names = text.match(
    new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*['"]${escapeRegExp(spec)}['"]`),
  )?.[1];
  if (!names) return false;
  return names
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .every((name) => {
      const uses = [...text.matchAll(new RegExp(`\\b${escapeRegExp(name)}\\b(\\.\\w+)?`, 'g'))].slice(1);
      return uses.length > 0 && uses.every((use) => use[1] === '.button' || use[1] === '.press');
    });
}

/** Every import in src that points to a higher layer, or from or to a file no layer holds. */
function upwardImports(files: readonly string[], read: (file: string) => string): string[] {
  const src = join(ROOT, 'src');
  const problems: string[] = [];
  for (const file of files) {
    const from = relative(src, file);
    const text = read(file);
    const own = layerOf(from);
    if (own < 0) problems.push(`src/${from} is in no layer`);
    for (const spec of specsIn(text).filter((s) => s.startsWith('.'))) {
      const to = relative(src, join(dirname(file), spec));
      const target = layerOf(to);
      if (target < 0) problems.push(`src/${from} imports ${spec}, in no layer`);
      else if (target > own && !(to.startsWith('actions/') && onlyBuildsButtons(text, spec)))
        problems.push(`src/${from} (layer ${own + 1}) imports ${spec} (layer ${target + 1})`);
    }
  }
  return problems;
}

describe('the layers of src', () => {
  it('has no import that points up a layer', () => {
    const files = filesUnder(join(ROOT, 'src'));
    expect(upwardImports(files, (file) => readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('finds an upward import, and lets a reply builder name an action only for its button', () => {
    // Guards the checker itself with files that are not on disk: one line each of what the rule refuses or allows.
    const at = (path: string) => join(ROOT, 'src', path);
    const samples: Record<string, string> = {
      [at('catalog/loader.ts')]: "import { normalizeQuery } from '../query/normalize.ts';\n",
      [at('reply/model.ts')]: "import type { Tool } from '../catalog/model.ts';\n",
      [at('lessons/lesson-replies.ts')]:
        "import { lessonDone } from '../actions/lesson-done.ts';\nlessonDone.button('x', 1, 'ko');\n",
      [at('quiz/quiz-replies.ts')]:
        "import { quizAnswer } from '../actions/quiz-answer.ts';\nquizAnswer.run(ctx, payload);\n",
      [at('commands/quiz.ts')]: "import { t } from '../i18n/messages.ts';\n",
      [at('new-folder/thing.ts')]: '',
    };
    expect(upwardImports(Object.keys(samples), (file) => samples[file] ?? '')).toEqual([
      'src/catalog/loader.ts (layer 5) imports ../query/normalize.ts (layer 6)',
      'src/reply/model.ts (layer 2) imports ../catalog/model.ts (layer 5)',
      'src/quiz/quiz-replies.ts (layer 8) imports ../actions/quiz-answer.ts (layer 9)',
      'src/new-folder/thing.ts is in no layer',
    ]);
  });
});

const ACTIONS_DIR = join(ROOT, 'src', 'actions');
/** The files of src/actions that hold no action: the shape every action shares, their list, and its lookup. */
const ACTION_SUPPORT = ['action.ts', 'index.ts', 'registry.ts'];

function isAction(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { id, encode, decode, run } = value as Record<string, unknown>;
  return typeof id === 'string' && [encode, decode, run].every((f) => typeof f === 'function');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The places in one file's text that write or read a button's value themselves instead of through its action: an
 * action id as a string (alone, or at the head of a value: `'quiz.answer|…'`, `'lesson.done:'`), the language
 * suffix, a Choice built field by field, a pressed value taken apart. `t(lang, 'lesson.done')` is a message key
 * that happens to be spelled like an action id, and is no value.
 */
function handMadeValues(text: string, ids: readonly string[], core: boolean): string[] {
  const found: string[] = [];
  const literal = new RegExp(`(['"\`])(?:${ids.map(escapeRegExp).join('|')})(?:\\1|[|:@{])`, 'g');
  for (const match of text.matchAll(literal)) {
    const before = text.slice(Math.max(0, match.index - 60), match.index);
    if (!/\bt\(\s*[\w.]+,\s*$/.test(before)) found.push(match[0]);
  }
  for (const pattern of [
    /@\$\{\s*\w*lang\w*\s*\}/gi,
    /@\((?:ko\|en|en\|ko)\)/g,
    /\b(?:value|pressed)\s*\.\s*(?:split|lastIndexOf|indexOf|match)\s*\(/g,
    // A choice is built by its action's `button` or `press`, never from an id constant; in the core not at all by
    // hand (adapters carry pressed ones through their platform's encoding).
    /\bactionId\s*:\s*(?:[A-Z][A-Z0-9_]*\b|[\w.]+\.id\b)/g,
    ...(core ? [/\bactionId\s*:(?!\s*string\b)/g] : []),
  ])
    for (const match of text.matchAll(pattern)) found.push(match[0]);
  return found;
}

describe('button actions', () => {
  it('lists every action file of src/actions in its index, one action a file', async () => {
    const files = readdirSync(ACTIONS_DIR).filter((name) => !ACTION_SUPPORT.includes(name));
    const listed = new Set<unknown>(ACTIONS);
    const problems: string[] = [];
    for (const name of files) {
      const module = (await import(join(ACTIONS_DIR, name))) as Record<string, unknown>;
      const actions = Object.values(module).filter(isAction);
      if (actions.length !== 1)
        problems.push(`src/actions/${name} exports ${actions.length} actions, not one`);
      for (const action of actions)
        if (!listed.has(action)) problems.push(`src/actions/${name} is not listed in src/actions/index.ts`);
    }
    expect(problems).toEqual([]);
    expect(ACTIONS).toHaveLength(files.length);
    expect(
      ACTIONS.filter((a) => !isAction(a)),
      'src/actions/index.ts lists actions only',
    ).toEqual([]);
    const ids = ACTIONS.map((a) => a.id);
    expect(new Set(ids).size, 'action ids are unique').toBe(ids.length);
  });

  it('leaves building and reading button values to src/actions', () => {
    const ids = ACTIONS.map((a) => a.id);
    const problems: string[] = [];
    for (const top of ['src', 'adapters']) {
      for (const file of filesUnder(join(ROOT, top))) {
        if (file.startsWith(`${ACTIONS_DIR}/`) || file.endsWith(join('src', 'i18n', 'messages.ts'))) continue;
        for (const found of handMadeValues(readFileSync(file, 'utf8'), ids, top === 'src'))
          problems.push(`${relative(ROOT, file)}: ${found}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('detects a value made by hand when one is present', () => {
    // Guards the checker itself, as above: each line is one way the old code wrote or read a value.
    const ids = ACTIONS.map((a) => a.id);
    const samples = [
      "choices.push({ actionId: QUIZ_ANSWER_ACTION, value: '1', label });",
      "if (actionId === 'quiz.answer') return;",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a sample of source text with a template in it
      'const id = `review.answer|${value}`;',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a sample of source text with a template in it
      'const value = `${roundId}:${index}:${i}@${lang}`;',
      'const SUFFIX = /@(ko|en)$/;',
      "const [roundId, index] = request.value.split(':');",
      "const split = value.lastIndexOf(':');",
    ];
    for (const sample of samples) expect(handMadeValues(sample, ids, true), sample).not.toEqual([]);
    expect(handMadeValues('{ actionId: quizAnswer.id, value }', ids, false)).not.toEqual([]);
    expect(handMadeValues("label: t(lang, 'lesson.done'), actionId: string;", ids, true)).toEqual([]);
    expect(
      handMadeValues('{ kind: "choice", actionId: decoded.actionId, value: decoded.value }', ids, false),
    ).toEqual([]);
  });
});

/** What a Discord shard process and its supervisor say to each other over IPC (adapters/discord/shard-metrics.ts). */
const SHARD_PROTOCOL = /process\.send\b|process\.on\(\s*['"]message|SHARDING_MANAGER|orch:\s*['"]metrics/;
/** A stand-in for the bot that is filled in later: a getter typed `() => Bot`, or one that throws until then. */
const PLACEHOLDER_BOT = /\(\)\s*=>\s*Bot\b|\bbot\s*:\s*\(\)\s*=>|not ready yet/;

describe('the composition root', () => {
  const offending = (dir: string, rule: RegExp): string[] =>
    filesUnder(join(ROOT, dir))
      .filter((file) => rule.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));

  it('leaves the Discord shard protocol to adapters/discord, beside the supervisor that asks', () => {
    expect(offending('adapters/server', SHARD_PROTOCOL)).toEqual([]);
    // The rule itself still sees the protocol where it belongs.
    expect(offending('adapters/discord', SHARD_PROTOCOL)).toContain('adapters/discord/shard-metrics.ts');
  });

  it('builds the bot before any platform starts, so nothing stands in for it', () => {
    expect(offending('adapters', PLACEHOLDER_BOT)).toEqual([]);
    // This file holds samples of what the rule finds.
    const self = relative(ROOT, join(ROOT, 'tests', 'architecture.test.ts'));
    expect(offending('tests', PLACEHOLDER_BOT).filter((file) => file !== self)).toEqual([]);
  });

  it('finds the shard protocol and a placeholder bot when they are there', () => {
    expect(SHARD_PROTOCOL.test("process.on('message', (m) => m)")).toBe(true);
    expect(SHARD_PROTOCOL.test('if (send && context.env.SHARDING_MANAGER) {')).toBe(true);
    expect(
      PLACEHOLDER_BOT.test(
        "const bot = () => {\n  if (!runtime) throw new Error('the bot is not ready yet');",
      ),
    ).toBe(true);
    expect(PLACEHOLDER_BOT.test('  bot: () => bot as Bot,')).toBe(true);
    expect(PLACEHOLDER_BOT.test('  bot: () => Bot;')).toBe(true);
    expect(PLACEHOLDER_BOT.test('  async start(bot: Bot) {')).toBe(false);
  });
});

describe('paths in code and docs', () => {
  /** A machine's own folders: a path under them means nothing in another clone. */
  const MACHINE_PATH = /(?:^|[\s'"`(])\/(?:work|home|Users|mnt|root)\/[\w.-]/;
  /** The folder beside the repository named as if it were inside it (without its leading `../`). */
  const SIBLING_AS_INSIDE = /(?<![./\w])shared\/(?:data|reference)\b/;

  const offenders = (files: readonly string[]): string[] =>
    files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          MACHINE_PATH.test(line) || SIBLING_AS_INSIDE.test(line) ? [`${relative(ROOT, file)}:${i + 1}`] : [],
        ),
    );

  it('names files by their path in the repository or beside it, never by a machine path', () => {
    const docs = ['README.md', 'ARCHITECTURE.md', 'Dockerfile'].map((name) => join(ROOT, name));
    const deploy = readdirSync(join(ROOT, 'deploy')).map((name) => join(ROOT, 'deploy', name));
    const code = ['src', 'adapters', 'tests'].flatMap((dir) => filesUnder(join(ROOT, dir)));
    expect(offenders([...docs, ...deploy, ...code])).toEqual([]);
  });

  it('finds a machine path or a sibling named as inside when one is there', () => {
    // Built from parts, so that this file does not hold what it looks for.
    const shared = ['shared', 'reference', 'chat-protocols.md'].join('/');
    expect(MACHINE_PATH.test(` * see /${'work'}/${shared}`)).toBe(true);
    expect(MACHINE_PATH.test(` * see /${'home'}/dev/orch/README.md`)).toBe(true);
    expect(SIBLING_AS_INSIDE.test(` * the facts in ${shared}`)).toBe(true);
    expect(SIBLING_AS_INSIDE.test(` * the facts in ../${shared}`)).toBe(false);
    // Paths inside the image and system folders are not a machine's checkout.
    expect(MACHINE_PATH.test("-v orch-data:/app/data, '/usr/lib/postgresql'")).toBe(false);
  });
});
