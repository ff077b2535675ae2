// The built-in locales, by the code requests name them with (lower case, as Appwrite's files).
// Adding one: write `<code>.ts` with every key of `en.ts`, list it here; the parity test
// (test/unit/message-locales.test.ts) checks keys and variables against English.
import type { Translation } from '../translation';
import { ar } from './ar';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { he } from './he';
import { hi } from './hi';
import { id } from './id';
import { it } from './it';
import { ja } from './ja';
import { ko } from './ko';
import { nl } from './nl';
import { pl } from './pl';
import { ptBr } from './pt-br';
import { ru } from './ru';
import { tr } from './tr';
import { uk } from './uk';
import { vi } from './vi';
import { zhCn } from './zh-cn';
import { zhTw } from './zh-tw';

export const TRANSLATIONS: Readonly<{ en: Translation } & Record<string, Translation>> = Object.freeze({
  en,
  es,
  'pt-br': ptBr,
  fr,
  de,
  it,
  nl,
  pl,
  tr,
  ru,
  uk,
  ja,
  'zh-cn': zhCn,
  'zh-tw': zhTw,
  ko,
  ar,
  he,
  hi,
  id,
  vi,
});
