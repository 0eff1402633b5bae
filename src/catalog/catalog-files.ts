import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

// The files a catalog folder is made of, in one place: the YAML loader reads exactly these, and the compiled
// snapshot (src/catalog/compiled-catalog.ts) is keyed by exactly these, so neither can see a file the other misses.

/**
 * The largest catalog file read. The biggest real one (roadmap.yaml) is about 150 KB; a file many times that is a
 * mistake (a pasted log, a generated dump), and parsing it would hold up the bot while it answers members.
 */
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Where the compiled snapshot lives inside the catalog folder: a dot-folder no one takes for source, which the loader
 * never reads as YAML and the catalog watcher ignores (writing it is no edit).
 */
export const COMPILED_FOLDER = '.compiled';
export const COMPILED_FILE = 'catalog.json';

/** The two files at the top of the folder. */
export const TOP_FILES = ['categories.yaml', 'roadmap.yaml'] as const;

/** The folders of one YAML file per tool, per quiz set, per group of concepts. */
export const FOLDERS = ['tools', 'quizzes', 'concepts'] as const;
export type CatalogFolder = (typeof FOLDERS)[number];

const YAML_NAME = /\.ya?ml$/;

/** The YAML file names in one of the folders, sorted; throws when the folder cannot be read. */
export async function yamlFilesIn(dir: string, folder: CatalogFolder): Promise<string[]> {
  return (await readdir(join(dir, folder))).filter((f) => YAML_NAME.test(f)).sort();
}

/** A catalog file's key: its path inside the catalog folder, always with '/'. */
export function fileKey(...parts: string[]): string {
  return parts.join('/');
}

/**
 * Every file the loader would read, as keys: the top files whether they exist or not (a missing one is a problem the
 * loader reports), and the YAML files of each folder that exists.
 */
export async function catalogFileKeys(dir: string): Promise<string[]> {
  const keys: string[] = [...TOP_FILES];
  for (const folder of FOLDERS) {
    try {
      for (const file of await yamlFilesIn(dir, folder)) keys.push(fileKey(folder, file));
    } catch {
      // A missing tools/ is the loader's problem to report; quizzes/ and concepts/ are optional.
    }
  }
  return keys;
}
