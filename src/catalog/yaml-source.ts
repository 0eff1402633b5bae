import { readFile } from 'node:fs/promises';
import { type Document, isMap, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import type { z } from 'zod';

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

/** Formats a problem the way compilers do, so editors can jump to it. */
export function formatProblem(p: CatalogProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

/** Reads and parses one YAML file; syntax errors become problems with their line. */
export async function readYaml(
  path: string,
  label: string,
  problems: CatalogProblem[],
): Promise<YamlSource | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    problems.push({ file: label, line: 0, message: reason });
    return null;
  }
  return parseYaml(text, label, problems);
}

/** Parses YAML text; syntax errors and duplicate keys become problems with their line. */
export function parseYaml(text: string, label: string, problems: CatalogProblem[]): YamlSource | null {
  const counter = new LineCounter();
  // logLevel 'error': a map used as a key ({a: 1}: x) would otherwise print a process warning on every load; the
  // schema reports the resulting odd key as a problem with its line anyway.
  const doc = parseDocument(text, {
    lineCounter: counter,
    uniqueKeys: true,
    prettyErrors: false,
    logLevel: 'error',
  });
  for (const error of doc.errors) {
    problems.push({
      file: label,
      line: counter.linePos(error.pos[0]).line,
      message: `YAML: ${firstLine(error.message)}`,
    });
  }
  if (doc.errors.length > 0) return null;
  const lineAt = (offset: number | undefined): number =>
    offset === undefined ? 1 : counter.linePos(offset).line;
  return {
    file: label,
    doc,
    lineAt,
    lineOf(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = doc.getIn(path.slice(0, depth) as unknown[], true) as
          | { range?: [number, number, number] }
          | undefined;
        if (node && typeof node === 'object' && node.range) return lineAt(node.range[0]);
      }
      return 1;
    },
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function keyLine(source: YamlSource, parentPath: readonly PropertyKey[], key: string): number {
  const parent = source.doc.getIn(parentPath as unknown[], true);
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
    const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
    if (range) return source.lineAt(range[0]);
  }
  return source.lineOf(parentPath);
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
