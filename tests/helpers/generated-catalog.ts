import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const CATEGORIES = ['service-mesh', 'service-proxy', 'api-gateway', 'scheduling-orchestration'];

/** A valid tool file in the loader's format, small but with every required field in both languages. */
export function generatedTool(n: number): { id: string; text: string } {
  const id = `generated-${String(n).padStart(5, '0')}`;
  const text = `id: ${id}
name: Generated ${n}
category: ${CATEGORIES[n % CATEGORIES.length]}
maturity: sandbox
homepage: https://example.org/${id}
repository: https://github.com/example/${id}
docs: https://example.org/${id}/docs
tags:
  en: [generated, reload]
  ko: [생성, 리로드]
related: [envoy]
summary:
  en: Generated tool number ${n}, one of thousands that make the catalog large.
  ko: 카탈로그를 크게 만들려고 생성한 ${n}번 도구예요.
description:
  en: A tool that exists only so that a reload has many files to read, validate and index.
  ko: 다시 읽기에 읽고 검사하고 색인할 파일이 많도록 만든 도구예요.
concepts:
  en: [Nothing to learn here.]
  ko: [여기서 배울 건 없어요.]
useCases:
  en: [Measuring a catalog reload.]
  ko: [카탈로그 다시 읽기를 재요.]
whenToPick:
  en: Never; it is generated.
  ko: 고르지 마세요. 생성된 도구예요.
firstStep:
  text:
    en: Delete it.
    ko: 지우세요.
`;
  return { id, text };
}

/** Writes `count` generated tool files into `<catalogDir>/tools`, numbered from `from`. */
export async function writeGeneratedTools(catalogDir: string, count: number, from = 0): Promise<void> {
  for (let n = from; n < from + count; n++) {
    const { id, text } = generatedTool(n);
    await writeFile(join(catalogDir, 'tools', `${id}.yaml`), text);
  }
}
