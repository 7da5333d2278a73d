export function templateDatabaseName(migrationsHash: string): string {
  return `sb_test_tpl_${migrationsHash.slice(0, 12)}`;
}
