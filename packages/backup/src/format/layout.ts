/** The object that commits a backup: written last, a prefix without it is incomplete. */
export const BACKUP_MANIFEST_FILE = 'arangops-manifest.json';
