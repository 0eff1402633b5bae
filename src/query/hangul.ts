// Hangul syllables are composed arithmetically (Unicode 3.12): base 0xAC00, 19 initials × 21 medials × 28 finals.
const SYLLABLE_BASE = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
const MEDIALS_TIMES_FINALS = 21 * 28;

// Compatibility jamo, the characters a keyboard produces when a syllable is not yet complete.
const INITIALS = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
const MEDIALS = 'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ';
// Index 0 is "no final consonant".
const FINALS = [
  '',
  'ㄱ',
  'ㄲ',
  'ㄳ',
  'ㄴ',
  'ㄵ',
  'ㄶ',
  'ㄷ',
  'ㄹ',
  'ㄺ',
  'ㄻ',
  'ㄼ',
  'ㄽ',
  'ㄾ',
  'ㄿ',
  'ㅀ',
  'ㅁ',
  'ㅂ',
  'ㅄ',
  'ㅅ',
  'ㅆ',
  'ㅇ',
  'ㅈ',
  'ㅊ',
  'ㅋ',
  'ㅌ',
  'ㅍ',
  'ㅎ',
];

// Compound vowels and clusters split into the keys typed for them, so a half-typed "잇" (ㅇㅣㅅ) is a prefix of "이스" (ㅇㅣㅅㅡ).
const SPLIT: Record<string, string> = {
  ㄳ: 'ㄱㅅ',
  ㄵ: 'ㄴㅈ',
  ㄶ: 'ㄴㅎ',
  ㄺ: 'ㄹㄱ',
  ㄻ: 'ㄹㅁ',
  ㄼ: 'ㄹㅂ',
  ㄽ: 'ㄹㅅ',
  ㄾ: 'ㄹㅌ',
  ㄿ: 'ㄹㅍ',
  ㅀ: 'ㄹㅎ',
  ㅄ: 'ㅂㅅ',
  ㅘ: 'ㅗㅏ',
  ㅙ: 'ㅗㅐ',
  ㅚ: 'ㅗㅣ',
  ㅝ: 'ㅜㅓ',
  ㅞ: 'ㅜㅔ',
  ㅟ: 'ㅜㅣ',
  ㅢ: 'ㅡㅣ',
};

const isSyllable = (code: number): boolean => code >= SYLLABLE_BASE && code <= SYLLABLE_LAST;
const isCompatJamo = (code: number): boolean => code >= 0x3131 && code <= 0x318e;

/** True when the text contains any Hangul syllable or jamo. */
export function hasHangul(text: string): boolean {
  return /[\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3]/.test(text);
}

/** True when every non-space character is a compatibility consonant, as in the initial-consonant query "ㅇㅅㅌㅇ". */
export function isInitialsQuery(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  return compact.length >= 2 && [...compact].every((ch) => INITIALS.includes(ch));
}

// The characters toJamo and toInitials change; any other text is returned as it is, without a copy.
const DECOMPOSABLE = /[\u3131-\u318e\uac00-\ud7a3]/;

/** Splits Hangul into the keystroke jamo sequence; other characters pass through unchanged. */
export function toJamo(text: string): string {
  // Most names are Latin: returning the same string lets an index share it instead of holding a copy.
  if (!DECOMPOSABLE.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (isSyllable(code)) {
      const index = code - SYLLABLE_BASE;
      const initial = INITIALS[Math.floor(index / MEDIALS_TIMES_FINALS)] ?? '';
      const medial = MEDIALS[Math.floor((index % MEDIALS_TIMES_FINALS) / 28)] ?? '';
      const final = FINALS[index % 28] ?? '';
      out += initial + (SPLIT[medial] ?? medial) + (SPLIT[final] ?? final);
    } else if (isCompatJamo(code)) {
      out += SPLIT[ch] ?? ch;
    } else {
      out += ch;
    }
  }
  return out;
}

/** The initial consonant of every syllable ("이스티오" -> "ㅇㅅㅌㅇ"); non-Hangul characters are dropped. */
export function toInitials(text: string): string {
  if (!DECOMPOSABLE.test(text)) return '';
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (isSyllable(code)) out += INITIALS[Math.floor((code - SYLLABLE_BASE) / MEDIALS_TIMES_FINALS)] ?? '';
    else if (isCompatJamo(code) && INITIALS.includes(ch)) out += ch;
  }
  return out;
}

// Vowels of the "-아/-어" form a verb takes before a helper verb ("바꿔 주는", "맡아 주는", "해 주는", "줄여 주는").
const CONNECTIVE_MEDIALS = new Set(['ㅏ', 'ㅐ', 'ㅓ', 'ㅕ', 'ㅘ', 'ㅙ', 'ㅝ']);

/** True when a word's last syllable is open and has the vowel of the "-아/-어" connective form ("바꿔", "해"). */
export function endsInConnective(word: string): boolean {
  const code = word.codePointAt(word.length - 1) ?? 0;
  if (!isSyllable(code)) return false;
  const index = code - SYLLABLE_BASE;
  return (
    index % 28 === 0 && CONNECTIVE_MEDIALS.has(MEDIALS[Math.floor((index % MEDIALS_TIMES_FINALS) / 28)] ?? '')
  );
}
