/** The two languages every user-facing text exists in. */
export type Lang = 'ko' | 'en';

export const LANGS: readonly Lang[] = ['ko', 'en'];

/** True for a supported language code. */
export function isLang(value: unknown): value is Lang {
  return value === 'ko' || value === 'en';
}

// One entry per message, both languages side by side so a missing translation is a type error.
const MESSAGES = {
  'card.category': { en: 'Category', ko: '카테고리' },
  'card.maturity': { en: 'CNCF maturity', ko: 'CNCF 성숙도' },
  'card.aliases': { en: 'Also known as', ko: '다른 이름' },
  'card.concepts': { en: 'Key concepts', ko: '핵심 개념' },
  'card.useCases': { en: 'Typical use cases', ko: '주요 사용 사례' },
  'card.whenToPick': { en: 'When to pick it', ko: '언제 고르나요' },
  'card.firstStep': { en: 'First hands-on step', ko: '첫 실습' },
  'card.related': { en: 'Related', ko: '관련 도구' },
  'card.homepage': { en: 'Homepage', ko: '홈페이지' },
  'card.repository': { en: 'Repository', ko: '저장소' },
  'card.docs': { en: 'Docs', ko: '문서' },
  'card.landscapeSource': {
    en: 'From the CNCF landscape ({category} / {subcategory}); not in the curated study catalog.',
    ko: 'CNCF 랜드스케이프 항목입니다 ({category} / {subcategory}). 스터디 카탈로그에서 직접 다루는 도구는 아닙니다.',
  },
  'card.noDescription': {
    en: 'The landscape has no description for this item; see its homepage.',
    ko: '랜드스케이프에 설명이 없는 항목입니다. 홈페이지를 참고하세요.',
  },
  'card.descriptionLang': {
    en: 'Description (from the landscape, in English)',
    ko: '설명 (랜드스케이프 원문, 영어)',
  },
  'maturity.graduated': { en: 'Graduated', ko: '졸업 (Graduated)' },
  'maturity.incubating': { en: 'Incubating', ko: '인큐베이팅 (Incubating)' },
  'maturity.sandbox': { en: 'Sandbox', ko: '샌드박스 (Sandbox)' },
  'maturity.archived': { en: 'Archived', ko: '보관됨 (Archived)' },
  'maturity.none': { en: 'Not a CNCF project', ko: 'CNCF 프로젝트 아님' },
  'category.heading': { en: 'Category: {name}', ko: '카테고리: {name}' },
  'category.count': { en: '{count} tools in this category.', ko: '이 카테고리의 도구 {count}개' },
  'category.more': {
    en: '…and {count} more from the CNCF landscape.',
    ko: '…그리고 CNCF 랜드스케이프 항목 {count}개 더',
  },
  'category.hint': {
    en: 'Ask `/orch <tool>` for a card.',
    ko: '`/orch <도구 이름>`으로 자세히 볼 수 있어요.',
  },
  'compare.heading': { en: 'Compare: {names}', ko: '비교: {names}' },
  'compare.hint': {
    en: 'Ask `/orch <tool>` for the full card of either.',
    ko: '각 도구의 전체 카드는 `/orch <도구 이름>`으로 볼 수 있어요.',
  },
  'search.heading': { en: 'Tools matching "{query}"', ko: '"{query}"에 맞는 도구' },
  'notFound.heading': { en: 'Nothing found for "{query}"', ko: '"{query}"에 대한 결과가 없어요' },
  'notFound.didYouMean': { en: 'Did you mean: {names}?', ko: '혹시 이것을 찾으셨나요: {names}' },
  'notFound.hint': {
    en: 'Try a tool name (`/orch istio`), a category (`/orch service mesh`) or `/orch help`.',
    ko: '도구 이름(`/orch 이스티오`), 카테고리(`/orch 서비스 메시`) 또는 `/orch help`를 입력해 보세요.',
  },
  'help.heading': { en: 'orch: your orchestration study buddy', ko: 'orch: 오케스트레이션 스터디 도우미' },
  'help.intro': {
    en: 'Ask about a cloud-native tool in English or Korean. Typos and Korean spellings are fine.',
    ko: '클라우드 네이티브 도구를 한국어나 영어로 물어보세요. 오타나 한글 표기도 알아들어요.',
  },
  'help.tool': { en: 'a tool card', ko: '도구 카드' },
  'help.category': { en: 'tools of a category', ko: '카테고리의 도구 목록' },
  'help.compare': { en: 'compare tools side by side', ko: '도구 나란히 비교' },
  'help.search': { en: 'search by what a tool does', ko: '하는 일로 도구 찾기' },
  'help.categories': { en: 'list all categories', ko: '전체 카테고리 보기' },
  'help.lang': {
    en: 'Add `--lang en` or `--lang ko` to pick the answer language.',
    ko: '`--lang ko` 또는 `--lang en`으로 답변 언어를 고를 수 있어요.',
  },
  'categories.heading': { en: 'Categories', ko: '카테고리' },
  'error.apology': {
    en: 'Sorry, something went wrong while answering that. Please try again.',
    ko: '죄송해요, 답변하는 중에 문제가 생겼어요. 다시 시도해 주세요.',
  },
  'error.badLang': {
    en: 'Unknown language "{value}": use ko or en.',
    ko: '알 수 없는 언어 "{value}": ko 또는 en을 쓰세요.',
  },
  'error.unknownCommand': {
    en: 'Unknown command "{name}". See `/orch help`.',
    ko: '알 수 없는 명령어 "{name}"입니다. `/orch help`를 확인해 주세요.',
  },
  'error.unknownOption': {
    en: 'Unknown option "{name}". The only option is `--lang ko|en`.',
    ko: '알 수 없는 옵션 "{name}"입니다. 사용할 수 있는 옵션은 `--lang ko|en`뿐이에요.',
  },
  'error.tooLong': {
    en: 'That question is too long ({length} characters; the limit is {max}).',
    ko: '질문이 너무 길어요 ({length}자, 최대 {max}자).',
  },
} as const satisfies Record<string, Record<Lang, string>>;

/** A message key. */
export type MessageKey = keyof typeof MESSAGES;

/** Looks a message up and fills its {placeholders}. */
export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const template: string = MESSAGES[key][lang];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
