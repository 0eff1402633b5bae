/**
 * Korean particles chosen by the word before them (`Kubernetes는`, `Helm은`, `3강으로`), so no message needs the
 * `은(는)` fallback a reader stumbles over.
 *
 * The rule for the last sound of a word:
 * - a Hangul syllable: it has a final consonant (받침) when (code - 0xAC00) % 28 is not 0; for 으로/로 a final ㄹ
 *   counts as none ("서울로");
 * - a number: as read in Sino-Korean: 1 일, 3 삼, 6 육, 7 칠, 8 팔 end in a consonant, 2 이, 4 사, 5 오, 9 구 do
 *   not, and a trailing 0 is read 십/백/천/만/영, all with a final consonant;
 * - a Latin word written in capitals or without a vowel (`CNCF`, `KR`, `etcd`, `k8s`) is read letter by letter:
 *   L 엘, M 엠, N 엔 and R 알 end in a consonant, every other letter name does not;
 * - any other Latin word is read as its Korean loanword (외래어 표기법): m, n, ng and l end in a consonant (Helm 헬름,
 *   Tekton 텍톤, Kong 콩, Portal 포털), as do a silent e after n or m (Crossplane 크로스플레인) and k/ck, p/b and t
 *   right after a vowel (Traefik 트래픽, Rook 룩, GitLab 깃랩, Git 깃); a final r is silent (Docker 도커, Harbor
 *   하버), and s, x, z, d, g, f, v, e, y and the vowels end without one (Kubernetes, Linkerd, Istio, Knative);
 * - trailing punctuation, quotes and brackets are skipped: the particle follows the word inside them.
 */

/** The last sound of a word, as far as particles care. */
export type Ending = 'vowel' | 'rieul' | 'consonant';

const LETTER_CONSONANT = new Set(['l', 'm', 'n', 'r']);
const DIGIT_ENDINGS: Record<string, Ending> = {
  '0': 'consonant',
  '1': 'rieul',
  '2': 'vowel',
  '3': 'consonant',
  '4': 'vowel',
  '5': 'vowel',
  '6': 'consonant',
  '7': 'rieul',
  '8': 'rieul',
  '9': 'vowel',
};

/** How `word` ends when read aloud in Korean; see the rule above. */
export function endingOf(word: string): Ending {
  const trimmed = word.replace(/[\s"'`“”‘’()[\]{}<>«»「」『』.,!?:;*_~…-]+$/u, '');
  const last = trimmed.at(-1) ?? '';
  const code = last.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) {
    const final = (code - 0xac00) % 28;
    if (final === 0) return 'vowel';
    return final === 8 ? 'rieul' : 'consonant';
  }
  if (/\d/.test(last)) return DIGIT_ENDINGS[last] ?? 'vowel';
  const latin = /[A-Za-z]+$/.exec(trimmed)?.[0];
  if (latin === undefined) return 'vowel';
  const lower = latin.toLowerCase();
  const spelled = (latin.length > 1 && latin === latin.toUpperCase()) || !/[aeiouy]/.test(lower);
  if (spelled) {
    const letter = lower.at(-1) ?? '';
    if (letter === 'l' || letter === 'r') return 'rieul';
    return LETTER_CONSONANT.has(letter) ? 'consonant' : 'vowel';
  }
  if (/l$/.test(lower)) return 'rieul';
  if (/(?:m|n|ng)$/.test(lower)) return 'consonant';
  // A silent e after n or m still leaves the consonant ("Crossplane" 크로스플레인).
  if (/[aeiouy][nm]e$/.test(lower)) return 'consonant';
  if (/[aeiou](?:k|ck|p|b|t)$/.test(lower)) return 'consonant';
  return 'vowel';
}

// Each particle as [after a final consonant, after a vowel]; either form names the pair in a template.
const PAIRS: readonly (readonly [string, string])[] = [
  ['은', '는'],
  ['이', '가'],
  ['을', '를'],
  ['과', '와'],
  ['으로', '로'],
  ['이에요', '예요'],
  ['이라', '라'],
  ['이라는', '라는'],
  ['이라고', '라고'],
  ['이나', '나'],
  ['이랑', '랑'],
  ['이야', '야'],
  ['아', '야'],
];

/** True for a particle `particle()` knows, in either of its forms. */
export function isParticle(name: string): boolean {
  return PAIRS.some(([a, b]) => a === name || b === name);
}

/** The form of `particle` (given in either form: 은 or 는) that follows `word`. */
export function particleFor(word: string, particle: string): string {
  const pair = PAIRS.find(([a, b]) => a === particle || b === particle);
  if (pair === undefined) return particle;
  const ending = endingOf(word);
  if (pair[0] === '으로') return ending === 'consonant' ? '으로' : '로';
  return ending === 'vowel' ? pair[1] : pair[0];
}

/** `word` followed by the right form of `particle`: withParticle('Kubernetes', '은') is "Kubernetes는". */
export function withParticle(word: string, particle: string): string {
  return word + particleFor(word, particle);
}
