import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOG_DIR } from '../helpers/catalog.ts';

/**
 * Facts the catalog once got wrong or let go stale, checked against the upstream docs (issue 13, content fixes).
 * Each check reads the YAML as written, so a later edit that brings an old claim back fails here.
 */

interface Found {
  where: string;
  text: string;
}

async function yamlOf(file: string): Promise<unknown> {
  return parse(await readFile(join(CATALOG_DIR, file), 'utf8'));
}

/** Every catalog file, relative to catalog/. */
async function catalogFiles(): Promise<string[]> {
  const files = ['roadmap.yaml', 'categories.yaml'];
  for (const dir of ['tools', 'quizzes'])
    for (const f of (await readdir(join(CATALOG_DIR, dir))).filter((n) => n.endsWith('.yaml')).sort())
      files.push(`${dir}/${f}`);
  return files;
}

/** Every string in the catalog with where it sits, so a check can name the offending place. */
async function allTexts(): Promise<Found[]> {
  const out: Found[] = [];
  const walk = (value: unknown, where: string): void => {
    if (typeof value === 'string') out.push({ where, text: value });
    else if (Array.isArray(value))
      value.forEach((v, i) => {
        walk(v, `${where}.${i}`);
      });
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`);
  };
  for (const file of await catalogFiles()) walk(await yamlOf(file), file);
  return out;
}

interface Lesson {
  id: string;
  points: { en: string[]; ko: string[] };
  commands: string[];
  links: { title: string; url: string }[];
}

async function lesson(id: string): Promise<Lesson> {
  const { tracks } = (await yamlOf('roadmap.yaml')) as { tracks: { lessons: Lesson[] }[] };
  const found = tracks.flatMap((t) => t.lessons).find((l) => l.id === id);
  if (!found) throw new Error(`no lesson ${id}`);
  return found;
}

describe('Linkerd needs the Gateway API CRDs before its own (2.18 and later)', () => {
  it('says so in the tool card first step, before linkerd install --crds, in both languages', async () => {
    const { firstStep } = (await yamlOf('tools/linkerd.yaml')) as { firstStep: { text: { en: string; ko: string } } };
    for (const text of [firstStep.text.en, firstStep.text.ko]) {
      const gateway = text.indexOf('gateway-api');
      expect(gateway, text).toBeGreaterThan(-1);
      expect(gateway, text).toBeLessThan(text.indexOf('linkerd install --crds |'));
    }
  });

  it('installs them first in the lesson commands and says why in its points', async () => {
    const l = await lesson('linkerd-mesh');
    const gateway = l.commands.findIndex((c) => c.includes('gateway-api') && c.includes('standard-install.yaml'));
    expect(gateway).toBeGreaterThan(-1);
    expect(gateway).toBeLessThan(l.commands.indexOf('linkerd install --crds | kubectl apply -f -'));
    expect(l.points.en.some((p) => p.includes('2.18') && p.includes('Gateway API'))).toBe(true);
    expect(l.points.ko.some((p) => p.includes('2.18') && p.includes('Gateway API'))).toBe(true);
  });
});
