/**
 * Secret scrubbing for every text that leaves the process: log lines, error
 * messages, reports. Values registered at start-up (passwords, tokens, keys
 * from config) are replaced wherever they appear; well-known shapes (bearer
 * tokens, JWTs, URL credentials, presigned-URL signatures, JSON fields named
 * like secrets) are replaced even when nobody registered them.
 */
const REDACTED = '[REDACTED]';
const registered = new Set<string>();

/** Values shorter than this are not registered: scrubbing "root" or "1" everywhere would mangle logs. */
const MIN_SECRET_LENGTH = 6;

export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH) return;
  registered.add(value);
  // A value inside a JSON string is escaped, so register that spelling too.
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) registered.add(escaped);
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
  for (const [pattern, replacement] of SHAPES) out = out.replace(pattern, replacement);
  return out;
}

/** For tests: forget registered values. */
export function clearRegisteredSecrets(): void {
  registered.clear();
}
