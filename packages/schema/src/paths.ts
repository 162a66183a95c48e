import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Profiles shipped with the package; `src/` and `dist/` are siblings, so the path holds for both. */
const PROFILES_ROOT = fileURLToPath(new URL('../profiles', import.meta.url));

/** Names a shipped profile instead of a folder, so configs and docs hold no install path. */
export const BUILTIN_PROFILE_PREFIX = 'builtin:';
export const SHIPPED_PROFILES: readonly string[] = ['codevaldcortex'];
export const DEFAULT_PROFILE = `${BUILTIN_PROFILE_PREFIX}codevaldcortex`;

/** The folder of the shipped CodeValdCortex profile. */
export const DEFAULT_PROFILE_DIR: string = join(PROFILES_ROOT, 'codevaldcortex');

/** File name of the declared schema inside a profile folder. */
export const SCHEMA_FILE = 'schema.yaml';

/** `builtin:<name>` → the shipped profile's folder; anything else is a folder path already. */
export function resolveProfileDir(dir: string): string {
  return dir.startsWith(BUILTIN_PROFILE_PREFIX)
    ? join(PROFILES_ROOT, dir.slice(BUILTIN_PROFILE_PREFIX.length))
    : dir;
}

export function isKnownProfile(dir: string): boolean {
  return (
    !dir.startsWith(BUILTIN_PROFILE_PREFIX) ||
    SHIPPED_PROFILES.includes(dir.slice(BUILTIN_PROFILE_PREFIX.length))
  );
}
