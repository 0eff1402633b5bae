import { cleanText } from '../catalog/name-key.ts';

// The catalog compares names by the same cleaning (src/catalog/name-key.ts), so a query and a name meet.
export { cleanText, normalizeKey } from '../catalog/name-key.ts';

// English question frames; the subject is what remains.
const EN_PREFIXES = [
  'can you tell me about',
  'could you tell me about',
  'tell me about',
  'tell me',
  'what is an',
  'what is a',
  'what is',
  "what's",
  'whats',
  'what are',
  'what does',
  'who is',
  'explain',
  'describe',
  'info about',
  'info on',
  'information about',
  'show me',
  'how about',
  'about',
  'define',
  // Articles left after a frame: "what does a readiness probe do", "explain the kubelet".
  'the',
  'an',
  'a',
];
const EN_SUFFIXES = ['please', 'for me', 'do', 'does', 'is', 'used for', 'for'];

// Korean question endings, longest first, stripped repeatedly from the end ("이스티오가 뭐야", "쿠버네티스 알려줘").
const KO_ENDINGS = [
  '에 대해서 알려주세요',
  '에 대해 알려주세요',
  '에 대해서 알려줘',
  '에 대해 알려줘',
  '에 대해 설명해줘',
  '란 무엇인가요',
  '이란 무엇인가요',
  '는 무엇인가요',
  '은 무엇인가요',
  '가 무엇인가요',
  '이 무엇인가요',
  '무엇인가요',
  '무엇인가',
  '무엇인지',
  '알려주세요',
  '알려 주세요',
  '알려줘요',
  '알려줘',
  '알려 줘',
  '설명해주세요',
  '설명해 주세요',
  '설명해줘',
  '설명해 줘',
  '소개해줘',
  '소개해 줘',
  '궁금해요',
  '궁금해',
  '뭐예요',
  '뭐에요',
  '뭔가요',
  '뭔데',
  '뭐지',
  '뭐야',
  '뭐임',
  '이란',
  '에 대해서',
  '에 대해',
  '에대해',
  '좀',
];

/** The result of normalising a user's text. */
export interface NormalizedText {
  /** Lower-case, NFKC, markup and punctuation removed, question frame stripped. */
  text: string;
  /** `text` split on spaces. */
  tokens: string[];
}

function stripFrame(text: string): string {
  let out = text;
  let changed = true;
  while (changed && out.length > 0) {
    changed = false;
    for (const prefix of EN_PREFIXES) {
      if (out.startsWith(`${prefix} `)) {
        out = out.slice(prefix.length + 1).trim();
        changed = true;
      }
    }
    for (const suffix of EN_SUFFIXES) {
      if (out.endsWith(` ${suffix}`)) {
        out = out.slice(0, -suffix.length - 1).trim();
        changed = true;
      }
    }
    for (const ending of KO_ENDINGS) {
      if (out.endsWith(ending) && out.length > ending.length) {
        out = out.slice(0, -ending.length).trim();
        changed = true;
      }
    }
  }
  return out;
}

/** Normalises a query: chat markup, prefix, width, case, punctuation and the English or Korean question frame. */
export function normalizeQuery(raw: string): NormalizedText {
  const cleaned = cleanText(raw);
  const stripped = stripFrame(cleaned);
  const text = stripped.length > 0 ? stripped : cleaned;
  return { text, tokens: text.length > 0 ? text.split(' ') : [] };
}

// Korean particles that attach to a noun ("이스티오가", "쿠버네티스를"), longest first.
const PARTICLES = [
  '이랑',
  '에서',
  '으로',
  '이란',
  '하고',
  '와',
  '과',
  '은',
  '는',
  '이',
  '가',
  '을',
  '를',
  '란',
  '랑',
  '의',
  '에',
  '로',
  '도',
  '만',
];

/** Strips one particle from a Hangul token when the remainder is a word the caller knows. */
export function stripParticle(token: string, isKnown: (word: string) => boolean): string {
  if (isKnown(token)) return token;
  for (const particle of PARTICLES) {
    if (token.length > particle.length && token.endsWith(particle)) {
      const stem = token.slice(0, -particle.length);
      if (isKnown(stem)) return stem;
    }
  }
  return token;
}
