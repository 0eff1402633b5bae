import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// A user's clone has only the repository: no ../shared beside it. This copies the repository's files (what `git
// ls-files` lists, tracked or new, as they are on disk: what the next commit would hold) into a temp folder with no
// sibling shared/, links node_modules in (installing would take minutes and the network), and runs the README's
// test command on the test files that once read ../shared. Nothing may fail; full-file suites may only be skipped.

const ROOT = resolve(import.meta.dirname, '..');
/** The test files that read ../shared/data before they had fixtures of their own. */
const ONCE_SHARED = [
  'tests/core/landscape-import.test.ts',
  'tests/core/games-import.test.ts',
  'tests/core/fuzz-query.test.ts',
  'tests/adapters/console.test.ts',
];

function repositoryFiles(): string[] | null {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (listed.status !== 0) return null;
  // A tracked file deleted in the working tree is not in the next commit either.
  return listed.stdout.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)));
}

/** The environment of a user's shell: none of this run's test, CI or npm settings. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(VITEST|ORCH_|npm_|NODE_OPTIONS$|NODE_ENV$|TEST$|CI$)/.test(key)) env[key] = value;
  // Fewer fuzz runs: this checks that the files run, not the properties (their own run does that).
  return { ...env, ORCH_FUZZ_RUNS: '0.05', FORCE_COLOR: '0', NO_COLOR: '1' };
}

interface VitestReport {
  numFailedTests: number;
  numPassedTests: number;
  numPendingTests: number;
  testResults: { name: string; status: string; message: string }[];
}

const files = repositoryFiles();
if (!files)
  console.warn('not a git checkout: skipping the fresh-clone check (it copies the files git lists)');

describe.skipIf(!files)('a clone with nothing beside it (no ../shared)', () => {
  it("passes the README's test command on the files that once read ../shared/data", async () => {
    const parent = await mkdtemp(join(tmpdir(), 'orch-fresh-'));
    const clone = join(parent, 'orch');
    try {
      for (const file of files ?? []) {
        await mkdir(dirname(join(clone, file)), { recursive: true });
        await copyFile(join(ROOT, file), join(clone, file));
      }
      await symlink(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
      expect(existsSync(join(parent, 'shared'))).toBe(false);

      const report = join(parent, 'report.json');
      // `npm test`, as the README says, with a JSON report to read the outcome from.
      const run = await new Promise<{ code: number; output: string }>((done) => {
        execFile(
          'npm',
          [
            'test',
            '--',
            '--reporter=default',
            '--reporter=json',
            `--outputFile.json=${report}`,
            ...ONCE_SHARED,
          ],
          { cwd: clone, env: userEnv(), maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) =>
            done({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
        );
      });
      const result = JSON.parse(await readFile(report, 'utf8')) as VitestReport;
      const failures = result.testResults
        .filter((f) => f.status !== 'passed')
        .map((f) => `${f.name}: ${f.message}`);
      expect(failures, run.output).toEqual([]);
      expect(result.numFailedTests, run.output).toBe(0);
      expect(run.code, run.output).toBe(0);
      expect(run.output).not.toContain('ENOENT');
      expect(result.testResults).toHaveLength(ONCE_SHARED.length);
      expect(result.numPassedTests).toBeGreaterThan(30);
      // The full-file suites were skipped, and said so by name.
      expect(run.output).toContain('skipping "the CNCF landscape importer on the full public file');
      expect(run.output).toContain('skipping "the CNCF landscape games importer on the full public file');
      expect(run.output).toContain(
        'skipping "the query engine on the curated catalog with the full CNCF landscape',
      );
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  }, 120_000);
});
