/** Reports are written in Japanese first; English is the second language of every text. */
export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];

export interface Localized {
  ja: string;
  en: string;
}
