import { describe, expect, it } from 'vitest';
import { koreanStem } from '../../src/query/text-index.ts';
import { QueryEngine } from '../../src/testing.ts';
import { realCatalog } from '../helpers/catalog.ts';

const engine = new QueryEngine(await realCatalog());

// Issue 13: Korean is written with or without a space between the words of a compound, glues a Latin name to the
// Hangul after it, and puts particles and helper verbs on words. Each row: the way the catalog spaces it (answered
// before this change) and a way members also type it; both must reach the same tool.
const SPACING: readonly [spaced: string, typed: string, tool: string][] = [
  // Hangul compounds the catalog writes apart.
  ['엔보이 쓰는 인그레스 컨트롤러', '엔보이 쓰는 인그레스컨트롤러', 'contour'],
  ['파드 자가 치유', '파드 자가치유', 'kubernetes'],
  ['리더 선출', '리더선출', 'etcd'],
  ['단일 노드 클러스터', '단일노드 클러스터', 'minikube'],
  ['골든 메트릭 보여주는 메시', '골든메트릭 보여주는 메시', 'linkerd'],
  ['분산 키 값 저장소', '분산키값저장소', 'etcd'],
  // A Latin name glued to the Korean word after it.
  ['DNS 서버 플러그인', 'DNS서버 플러그인', 'coredns'],
  ['HTTPProxy 리소스', 'HTTPProxy리소스', 'contour'],
  ['K3s 클러스터 만들기', 'K3s클러스터 만들기', 'rancher'],
  ['GPU 작업 스케줄링', 'GPU작업 스케줄링', 'volcano'],
  // A helper verb written apart from the verb it helps ("바꿔 주는" as "바꿔주는").
  ['서비스 이름을 주소로 바꿔주는 DNS', '서비스 이름을 주소로 바꿔 주는 DNS', 'coredns'],
  ['요청 없으면 0까지 줄여주는 플랫폼', '요청 없으면 0까지 줄여 주는 플랫폼', 'knative'],
];

describe('Korean spacing variants', () => {
  it.each(SPACING)('%j and %j both find %s', (spaced, typed, tool) => {
    expect(engine.answer(spaced).toolIds[0]).toBe(tool);
    expect(engine.answer(typed).toolIds[0]).toBe(tool);
  });
});

describe('Korean particles after a short word', () => {
  // "으로" after a number or a one-syllable word: cutting only "로" left "0으", a word no tool has.
  it.each([['0으로 스케일 다운', 'knative']])('%j finds %s', (query, tool) => {
    expect(engine.answer(query).toolIds[0]).toBe(tool);
  });

  it('cuts "으로" whole, and keeps words that only end like a particle', () => {
    expect(['값으로', '0으로', '키값으로', '으로'].map(koreanStem)).toEqual(['값', '0', '키값', '으로']);
    expect(['도로', '사이'].map(koreanStem)).toEqual(['도로', '사이']);
  });
});

describe('splitting an unknown word does not invent answers', () => {
  // Every piece of a split must be a word some tool has, so food glued together stays unknown.
  it.each(['피자배달앱', 'pizza레시피', '김치찌개레시피', '바나나우유만들기'])('%j is not found', (query) => {
    expect(engine.answer(query)).toMatchObject({ intent: 'not_found', toolIds: [] });
  });
});
