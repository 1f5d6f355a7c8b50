import type { Lang } from './lang.js';

/** The roles of the organisation register (第3条, 第12条第2項) by name, as messages and reports name them. */
export const ROLE_LABELS: Record<Lang, Record<string, string>> = {
  ja: { dataProtectionManager: 'データ保護管理者', dataProtectionOfficer: 'データ保護担当者', systemAuditor: '情報システム監査責任者', chairman: '理事長' },
  en: { dataProtectionManager: 'data protection manager', dataProtectionOfficer: 'data protection officer', systemAuditor: 'information system audit officer', chairman: 'chairman' },
};

/** A role's name in a language (its register id when it has none). */
export function roleLabel(role: string, lang: Lang): string {
  return ROLE_LABELS[lang][role] ?? role;
}
