import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Node, parse, parseDocument, visit } from 'yaml';
import { CATALOG_DIR, catalogFiles } from '../helpers/catalog.ts';

/**
 * The catalog is meant to be edited by hand and read by any tool a contributor points at it, not only by the
 * `yaml` package the loader uses. Each file must parse cleanly under strict YAML 1.2, mean the same thing to
 * js-yaml and under the YAML 1.1 schema, and keep away from plain scalars that other parsers read differently
 * (PyYAML, a YAML 1.1 parser, stopped at roadmap.yaml line 12 on `{ en: Why container orchestration?, … }`).
 */

async function text(file: string): Promise<string> {
  return readFile(join(CATALOG_DIR, file), 'utf8');
}

/**
 * Plain (unquoted) scalars that some parser reads differently or refuses: an indicator character at the start,
 * `?` anywhere (an explicit-key indicator to YAML 1.1 parsers inside flow collections), `: ` (a mapping
 * separator) and ` #` (a comment start); inside `[…]` or `{…}` also the flow indicators `,[]{}`.
 */
function riskyPlainScalars(source: string): { line: number; value: string }[] {
  const found: { line: number; value: string }[] = [];
  const doc = parseDocument(source, { keepSourceTokens: true });
  visit(doc, {
    Scalar(_key, node, path) {
      if (node.type !== 'PLAIN' || typeof node.value !== 'string') return;
      const raw = source.slice(node.range?.[0] ?? 0, node.range?.[1] ?? 0);
      const inFlow = path.some((p) => (p as Node & { flow?: boolean }).flow === true);
      if (/[?]|: | #|^[-:,[\]{}#&*!|>'"%@`]/.test(raw) || (inFlow && /[,[\]{}]/.test(raw)))
        found.push({ line: source.slice(0, node.range?.[0] ?? 0).split('\n').length, value: raw });
    },
  });
  return found;
}

describe('catalog YAML is portable', () => {
  it('flags the scalar PyYAML stopped at, and passes its quoted form', () => {
    expect(riskyPlainScalars('title: { en: Why container orchestration?, ko: 왜 }\n')).toEqual([
      { line: 1, value: 'Why container orchestration?' },
    ]);
    expect(riskyPlainScalars('title: { en: "Why container orchestration?", ko: 왜 }\n')).toEqual([]);
    expect(riskyPlainScalars('tags: [mTLS, x?y]\nnote: -1 fix\n')).toEqual([
      { line: 1, value: 'x?y' },
      { line: 2, value: '-1 fix' },
    ]);
  });

  it('parses every file under strict YAML 1.2 with unique keys, without an error or a warning', async () => {
    const problems: string[] = [];
    for (const file of await catalogFiles()) {
      const doc = parseDocument(await text(file), { strict: true, uniqueKeys: true, version: '1.2' });
      for (const e of [...doc.errors, ...doc.warnings]) problems.push(`${file}: ${e.message.split('\n')[0]}`);
    }
    expect(problems).toEqual([]);
  });

  it('has no plain scalar that another parser reads differently', async () => {
    const risky: string[] = [];
    for (const file of await catalogFiles())
      for (const r of riskyPlainScalars(await text(file))) risky.push(`${file}:${r.line}: ${r.value}`);
    expect(risky).toEqual([]);
  });

  it('means the same under the YAML 1.1 schema (no yes/no/on/off booleans, no base-60 numbers)', async () => {
    for (const file of await catalogFiles()) {
      const source = await text(file);
      expect(parse(source, { version: '1.1' }), file).toEqual(parse(source, { version: '1.2' }));
    }
  });

  it('reads the same with js-yaml, when it is installed (date-holidays brings it in)', async (ctx) => {
    // A variable specifier: js-yaml is not a dependency of ours and has no types here.
    const specifier = 'js-yaml';
    const jsYaml = (await import(specifier).catch(() => null)) as { load(text: string): unknown } | null;
    if (!jsYaml) ctx.skip();
    else
      for (const file of await catalogFiles()) {
        const source = await text(file);
        expect(jsYaml.load(source), file).toEqual(parse(source, { version: '1.2' }));
      }
  });
});
