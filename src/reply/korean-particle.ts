/**
 * The topic particle that follows a name: 은 after a final consonant, 는 after a vowel. A Latin name is read
 * aloud the Korean way, where a final l, m, n or ng keeps a consonant ("Helm은") and the rest end in a vowel
 * ("Prometheus는", "Kafka는").
 */
export function topicParticle(name: string): string {
  const last = name.trim().slice(-1);
  const code = last.codePointAt(0) ?? 0;
  if (code >= 0xac00 && code <= 0xd7a3) return (code - 0xac00) % 28 === 0 ? '는' : '은';
  if (/[0-9]$/.test(last)) return /[0136789]$/.test(last) ? '은' : '는';
  return /(?:[lmn]|ng)$/i.test(name.trim()) ? '은' : '는';
}
