import type { Localized } from './lang.js';

/**
 * The headings (見出し) of the regulation's articles, as printed in システム等運用管理規程, used to
 * group findings by article in reports. English renderings are ours.
 */
export const ARTICLE_HEADINGS: Record<number, Localized> = {
  1: { ja: '目的', en: 'Purpose' },
  2: { ja: '適用対象', en: 'Scope' },
  3: { ja: '管理運営体制', en: 'Management structure' },
  4: { ja: '実務責任者の責務等', en: 'Duties of the responsible officers' },
  5: { ja: '事務担当者の責務', en: 'Duties of clerical staff' },
  6: { ja: '予防処置及び是正処置', en: 'Preventive and corrective action' },
  7: { ja: '事故への対応', en: 'Incident response' },
  8: { ja: '非常時の対策', en: 'Emergency measures' },
  9: { ja: '監査', en: 'Audits' },
  10: { ja: '苦情・質問受付', en: 'Complaints and questions' },
  11: { ja: '守秘契約', en: 'Confidentiality agreements' },
  12: { ja: '業務委託契約', en: 'Outsourcing contracts' },
  13: { ja: '教育の実施', en: 'Training' },
  14: { ja: '入退出管理', en: 'Entry control' },
  15: { ja: '執務室等及びサーバー室等の安全管理', en: 'Security of offices and server rooms' },
  16: { ja: 'PC 端末の安全管理', en: 'Security of PC terminals' },
  17: { ja: 'ネットワーク管理', en: 'Network management' },
  18: { ja: '外部機関との情報交換', en: 'Information exchange with external bodies' },
  19: { ja: '電子媒体の管理', en: 'Management of electronic media' },
  20: { ja: '情報システム等の仕様書', en: 'System specifications' },
  21: { ja: '情報機器のリモートアクセス管理', en: 'Remote access to information equipment' },
  22: { ja: 'データ等の消去及び電子媒体の廃棄', en: 'Erasure of data and disposal of media' },
  23: { ja: 'アクセス権限等', en: 'Access rights' },
  24: { ja: 'サーバー等記録機器の管理', en: 'Servers and recording equipment' },
  25: { ja: 'ネットワーク管理', en: 'Network management' },
  26: { ja: 'ウィルス対策等', en: 'Anti-virus measures' },
  27: { ja: '電子署名・タイムスタンプ', en: 'Electronic signatures and time stamps' },
};
