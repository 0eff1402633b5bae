import { readFile, stat } from 'node:fs/promises';
import type { Document, Pair, YAMLMap } from 'yaml';
import type { z } from 'zod';
import { MAX_FILE_BYTES } from './catalog-files.ts';
import { yaml } from './yaml-lib.ts';

/** One thing wrong with a catalog file, located to the line. */
export interface CatalogProblem {
  file: string;
  line: number;
  message: string;
}

/** A parsed YAML file that can still say on which line any path sits. */
export interface YamlSource {
  file: string;
  doc: Document;
  /** The 1-based line of the node at `path`, or of its nearest existing parent. */
  lineOf(path: readonly PropertyKey[]): number;
  /** The 1-based line of a character offset. */
  lineAt(offset: number): number;
}

export { MAX_FILE_BYTES };

/**
 * At most this many problems are reported, each message at most MAX_MESSAGE characters: one broken file can hold
 * 100,000 unknown keys, and every report goes into a log line and an admin's chat reply.
 */
export const MAX_PROBLEMS = 50;
const MAX_MESSAGE = 300;

/** The first MAX_PROBLEMS problems, messages shortened, and how many were left out. */
export function capProblems(problems: readonly CatalogProblem[]): {
  problems: CatalogProblem[];
  omitted: number;
} {
  return {
    problems: problems
      .slice(0, MAX_PROBLEMS)
      .map((p) =>
        p.message.length > MAX_MESSAGE ? { ...p, message: `${p.message.slice(0, MAX_MESSAGE)}…` } : p,
      ),
    omitted: Math.max(0, problems.length - MAX_PROBLEMS),
  };
}

/** Formats a problem the way compilers do, so editors can jump to it. */
export function formatProblem(p: CatalogProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

/**
 * Reads and parses one YAML file; syntax errors become problems with their line. `onText` gets the text as read, so a
 * caller can fingerprint exactly what was parsed.
 */
export async function readYaml(
  path: string,
  label: string,
  problems: CatalogProblem[],
  onText?: (text: string) => void,
): Promise<YamlSource | null> {
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > MAX_FILE_BYTES) {
      problems.push({
        file: label,
        line: 1,
        message: `the file is ${kib(size)}, over the limit of ${kib(MAX_FILE_BYTES)} for one catalog file; split it or remove what does not belong`,
      });
      return null;
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    problems.push({ file: label, line: 0, message: reason });
    return null;
  }
  onText?.(text);
  return parseYaml(text, label, problems);
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;
}

/** Parses YAML text; syntax errors and duplicate keys become problems with their line. */
export function parseYaml(text: string, label: string, problems: CatalogProblem[]): YamlSource | null {
  const { LineCounter, parseDocument } = yaml();
  const counter = new LineCounter();
  // logLevel 'error': a map used as a key ({a: 1}: x) would otherwise print a process warning on every load; the
  // schema reports the resulting odd key as a problem with its line anyway.
  // yaml's own duplicate-key check compares each key with every earlier key of its map, which is quadratic: a file
  // of 40,000 keys took 14 s. Keys are checked here instead, one set per map.
  const doc = parseDocument(text, {
    lineCounter: counter,
    uniqueKeys: false,
    prettyErrors: false,
    logLevel: 'error',
  });
  const errors = [
    ...doc.errors.map((error) => ({ offset: error.pos[0], message: firstLine(error.message) })),
    ...duplicateKeys(doc).map((offset) => ({ offset, message: 'Map keys must be unique' })),
  ].sort((a, b) => a.offset - b.offset);
  for (const error of errors) {
    problems.push({
      file: label,
      line: counter.linePos(error.offset).line,
      message: `YAML: ${error.message}`,
    });
  }
  if (errors.length > 0) return null;
  const lineAt = (offset: number | undefined): number =>
    offset === undefined ? 1 : counter.linePos(offset).line;
  return {
    file: label,
    doc,
    lineAt,
    lineOf(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = nodeAt(doc, path.slice(0, depth)) as { range?: [number, number, number] } | undefined;
        if (node && typeof node === 'object' && node.range) return lineAt(node.range[0]);
      }
      return 1;
    },
  };
}

// Each map's pairs by key, built once per map: a file with thousands of unknown keys gets a problem per key, and
// finding each key by scanning its map made validation quadratic (40,000 keys took 45 s).
const pairIndexes = new WeakMap<YAMLMap, Map<unknown, Pair>>();

function pairsOf(map: YAMLMap): Map<unknown, Pair> {
  let index = pairIndexes.get(map);
  if (!index) {
    const { isScalar } = yaml();
    index = new Map();
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (!index.has(key)) index.set(key, pair);
    }
    pairIndexes.set(map, index);
  }
  return index;
}

/** Where each key that repeats an earlier key of its map starts (as yaml compares them: scalars by value). */
function duplicateKeys(doc: Document): number[] {
  const { isScalar, visit } = yaml();
  const offsets: number[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const value = pair.key.value;
        // NaN never equals itself, so yaml never calls two .nan keys the same.
        if (seen.has(value) && !Number.isNaN(value)) offsets.push(pair.key.range?.[0] ?? 0);
        seen.add(value);
      }
    },
  });
  return offsets;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function keyLine(source: YamlSource, parentPath: readonly PropertyKey[], key: string): number {
  const { isMap, isScalar } = yaml();
  const parent = nodeAt(source.doc, parentPath);
  if (isMap(parent)) {
    const pair = pairsOf(parent).get(key);
    const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
    if (range) return source.lineAt(range[0]);
  }
  return source.lineOf(parentPath);
}

/** The node at `path`, walked through the key indexes; undefined when the path leaves the document. */
function nodeAt(doc: Document, path: readonly PropertyKey[]): unknown {
  const { isMap, isSeq } = yaml();
  let node: unknown = doc.contents;
  for (const key of path) {
    if (isMap(node)) node = pairsOf(node).get(key)?.value;
    else if (isSeq(node) && typeof key === 'number') node = node.items[key];
    else return undefined;
  }
  return node;
}

// Each document as plain values, converted once: aliases (*name) resolve only when the whole document is converted,
// and a quiz file is validated one question at a time.
const plainValues = new WeakMap<Document, unknown>();

function plainValue(doc: Document, at: readonly PropertyKey[]): unknown {
  if (!plainValues.has(doc)) plainValues.set(doc, doc.toJS());
  let value = plainValues.get(doc);
  for (const key of at) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

// The line of the alias that names no earlier anchor, else of the first alias; undefined when there is none.
function aliasLine(source: YamlSource): number | undefined {
  const { visit } = yaml();
  let first: number | undefined;
  let unresolved: number | undefined;
  try {
    visit(source.doc, {
      Alias(_, node) {
        const line = node.range ? source.lineAt(node.range[0]) : undefined;
        first ??= line;
        if (node.resolve(source.doc) !== undefined) return undefined;
        unresolved = line;
        return visit.BREAK;
      },
    });
  } catch {
    // Only a better line was at stake.
  }
  return unresolved ?? first;
}

/** Validates a parsed file against a schema; every issue becomes a located problem. */
export function validate<S extends z.ZodType>(
  source: YamlSource,
  schema: S,
  problems: CatalogProblem[],
  at: readonly PropertyKey[] = [],
): z.infer<S> | null {
  let value: unknown;
  try {
    value = plainValue(source.doc, at);
  } catch (error) {
    // Converting throws for an alias (*name) with no anchor (&name) before it, and for more aliases than a file of
    // this kind could need (a "billion laughs" file); both are mistakes in the file, located at an alias.
    const reason = error instanceof Error ? error.message : String(error);
    const line = aliasLine(source) ?? source.lineOf(at);
    problems.push({ file: source.file, line, message: `YAML: ${firstLine(reason)}` });
    return null;
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = [...at, ...(issue.path as PropertyKey[])];
    const where = path.length > 0 ? `${path.map(String).join('.')}: ` : '';
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          file: source.file,
          line: keyLine(source, path, key),
          message: `${where}unknown field "${key}"`,
        });
      }
      continue;
    }
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    const last = path[path.length - 1];
    const message = missing
      ? `missing ${last === 'en' || last === 'ko' ? `${last === 'en' ? 'English' : 'Korean'} text` : `field "${String(last)}"`}${path.length > 1 ? ` in ${path.slice(0, -1).map(String).join('.')}` : ''}`
      : `${where}${issue.message}`;
    problems.push({ file: source.file, line: source.lineOf(path), message });
  }
  return null;
}
