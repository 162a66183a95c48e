import { fileURLToPath } from 'node:url';

/** The shipped CodeValdCortex profile; `src/` and `dist/` are siblings, so the path holds for both. */
export const DEFAULT_PROFILE_DIR: string = fileURLToPath(
  new URL('../profiles/codevaldcortex', import.meta.url),
);

/** File name of the declared schema inside a profile folder. */
export const SCHEMA_FILE = 'schema.yaml';
