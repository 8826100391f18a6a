import { type Composer, createI18n } from 'vue-i18n';
import en from './en';
import zhCN from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'gridwork:locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' ? 'en' : 'zh-CN';
}

/**
 * Date formats for `d(date, name)`. Times are shown on Beijing time whatever the device's zone,
 * as deadlines are counted on it (shared/calendar).
 */
const DATE_FORMATS = {
  short: {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  },
  date: { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Shanghai' },
} as const;

export const i18n = createI18n<[typeof zhCN], Locale>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  datetimeFormats: { 'zh-CN': DATE_FORMATS, en: DATE_FORMATS },
});

export function setLocale(locale: Locale): void {
  // Composition mode (legacy: false): `global` is a Composer, whose locale is a ref.
  (i18n.global as unknown as Composer).locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
