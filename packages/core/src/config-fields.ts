/**
 * Building blocks of config sections, for every role's section alike:
 * durations a Node.js timer can hold, and files checked when the config loads
 * (so `config check` finds a missing, unreadable or malformed file, not the
 * first request).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** setTimeout's limit: Node clamps a longer delay to 1 ms, which turns a generous timeout into none. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A duration in milliseconds that a Node.js timer can hold. */
export function milliseconds(fallback: number) {
  return z
    .number()
    .int()
    .positive()
    .max(MAX_TIMER_MS, {
      error: `must be at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest timer Node.js keeps`,
    })
    .default(fallback);
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'file not found',
  EISDIR: 'is a directory, not a file',
  EACCES: 'cannot be read (permission denied)',
};

/**
 * What is wrong with an input file named in the config, checked when the
 * config loads (so `config check` finds it) rather than at first use: missing,
 * a directory, unreadable, or content that `problem` refuses. Undefined when
 * the file is fine. Messages name the file, never its content.
 */
export function fileProblem(
  path: string,
  problem?: (text: string) => string | undefined,
): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    return code === 'ENOENT'
      ? `file not found: ${path}`
      : `${path} ${FILE_ERRORS[code] ?? `cannot be read (${code})`}`;
  }
  const found = problem?.(text);
  return found ? `${path}: ${found}` : undefined;
}

/** A config field naming a file that must exist, be readable and pass `problem`. */
export function inputFile(problem?: (text: string) => string | undefined) {
  return z
    .string()
    .min(1)
    .superRefine((path, ctx) => {
      const message = fileProblem(path, problem);
      if (message) ctx.addIssue({ code: 'custom', message });
    });
}

/** Files whose whole content is one secret (a token, a password): blank means a mistake, not an empty secret. */
export const notBlank = (text: string) => (text.trim() === '' ? 'is empty' : undefined);

/** PEM certificates (a CA bundle, a server certificate): refused now rather than as "unable to verify" later. */
export function pemCertificateProblem(text: string): string | undefined {
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    return 'not a PEM certificate (no BEGIN CERTIFICATE block)';
  try {
    new X509Certificate(text);
    return undefined;
  } catch {
    return 'not a valid PEM certificate';
  }
}

export function privateKeyProblem(text: string): string | undefined {
  try {
    createPrivateKey(text);
    return undefined;
  } catch {
    return 'not a PEM private key';
  }
}
