/**
 * Secret scrubbing for every text that leaves the process: log lines, error
 * messages, reports. Values registered at start-up (passwords, tokens, keys
 * from config) are replaced wherever they appear; well-known shapes (bearer
 * tokens, JWTs, URL credentials, presigned-URL signatures, JSON fields named
 * like secrets) are replaced even when nobody registered them.
 */
const REDACTED = '[REDACTED]';
const registered = new Set<string>();
/** Short values, matched only as whole words: a password "pw1" must go, "pw123" must stay. */
const short = new Map<string, RegExp>();

/**
 * Below this length a value is replaced only where it stands alone (not inside
 * a longer word or number), so a short password is still scrubbed without
 * mangling every line that happens to contain its letters.
 */
const WHOLE_WORD_BELOW = 6;

export function registerSecret(value: string | undefined): void {
  if (!value) return;
  // A value inside a JSON string is escaped, so register that spelling too.
  for (const spelling of new Set([value, JSON.stringify(value).slice(1, -1)])) {
    if (spelling.length >= WHOLE_WORD_BELOW) registered.add(spelling);
    else if (!short.has(spelling)) {
      const escaped = spelling.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      short.set(spelling, new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'gu'));
    }
  }
}

const SHAPES: [RegExp, string][] = [
  // "password":"...", "secretAccessKey":"...", "authorization":"..." in JSON
  [
    /("(?:[A-Za-z_]*(?:password|passwd|secret|token|jwt|authorization|credential)[A-Za-z_]*)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${REDACTED}"`,
  ],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/(\/\/[^/\s:@"]+:)[^@\s/"]+@/g, `$1${REDACTED}@`],
  [
    /([?&](?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature|AWSAccessKeyId)=)[^&\s"]+/gi,
    `$1${REDACTED}`,
  ],
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const value of registered) {
    if (out.includes(value)) out = out.split(value).join(REDACTED);
  }
  for (const [value, pattern] of short) {
    if (out.includes(value)) out = out.replace(pattern, REDACTED);
  }
  for (const [pattern, replacement] of SHAPES) out = out.replace(pattern, replacement);
  return out;
}

/** For tests: forget registered values. */
export function clearRegisteredSecrets(): void {
  registered.clear();
  short.clear();
}
