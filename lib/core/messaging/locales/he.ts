// Hebrew (right to left). Instructions use "יש ל…" and past-tense forms that read the same for
// any reader, rather than gendered imperatives. A prefix before Latin text or digits takes a
// hyphen (ל-{{project}}, מ-{{ip}}), as Hebrew typography does.
import type { Translation } from '../translation';

export const he: Translation = {
  direction: 'rtl',
  common: {
    greeting: 'שלום{{#user}} {{user}}{{/user}},',
    openLink: 'אפשר גם לפתוח את הקישור הזה:',
    phrase: 'ביטוי אבטחה: {{phrase}}',
    phraseHint: 'יש להמשיך רק אם הוא זהה לביטוי שמוצג במקום שבו התבקשה הכניסה.',
    requestedFrom: 'בקשת הכניסה הזו נשלחה מ-{{ip}}. אם הבקשה לא הגיעה ממך, אפשר להתעלם מההודעה.',
    unknown: 'לא ידוע',
  },
  emailVerification: {
    subject: 'אימות החשבון שלך ב-{{project}}',
    lead: 'יש לפתוח את הקישור הזה כדי לאמת את כתובת האימייל:',
    button: 'אימות כתובת האימייל',
    after: 'תוקף הקישור יפוג בעוד {{validity}}. אם לא ביקשת לאמת את הכתובת הזו, אפשר להתעלם מההודעה.',
  },
  recovery: {
    subject: 'איפוס הסיסמה שלך ב-{{project}}',
    lead: 'יש לפתוח את הקישור הזה כדי לאפס את הסיסמה שלך ב-{{project}}:',
    button: 'איפוס הסיסמה',
    after: 'תוקף הקישור יפוג בעוד {{validity}}. אם לא ביקשת לאפס את הסיסמה, אפשר להתעלם מההודעה.',
  },
  magicUrl: {
    subject: 'כניסה ל-{{project}}',
    lead: 'יש לפתוח את הקישור הזה כדי להיכנס ל-{{project}}:',
    button: 'כניסה',
    after: 'תוקף הקישור יפוג בעוד {{validity}}.',
  },
  emailOtp: {
    subject: 'קוד כניסה ל-{{project}}',
    lead: 'יש להזין את הקוד הזה כדי להיכנס ל-{{project}}:',
    after: 'תוקף הקוד יפוג בעוד {{validity}}.',
  },
  emailVerificationOtp: {
    subject: 'קוד לאימות החשבון שלך ב-{{project}}',
    lead: 'יש להזין את הקוד הזה כדי לאמת את כתובת האימייל:',
    after: 'תוקף הקוד יפוג בעוד {{validity}}. אם לא ביקשת לאמת את הכתובת הזו, אפשר להתעלם מההודעה.',
  },
  recoveryOtp: {
    subject: 'קוד לאיפוס הסיסמה שלך ב-{{project}}',
    lead: 'יש להזין את הקוד הזה כדי לאפס את הסיסמה שלך ב-{{project}}:',
    after: 'תוקף הקוד יפוג בעוד {{validity}}. אם לא ביקשת לאפס את הסיסמה, אפשר להתעלם מההודעה.',
  },
  mfaChallenge: {
    subject: 'קוד אימות ל-{{project}}',
    lead: 'יש להזין את הקוד הזה כדי לאמת את זהותך:',
    after: 'תוקף הקוד יפוג בעוד {{validity}}. אם לא ניסית להיכנס, מומלץ לשנות את הסיסמה.',
  },
  sessionAlert: {
    subject: 'התראת אבטחה: כניסה חדשה לחשבון שלך ב-{{project}}',
    lead: 'זוהתה כניסה חדשה לחשבון שלך ב-{{project}}.',
    time: 'זמן: {{time}}',
    device: 'מכשיר: {{device}}',
    ip: 'כתובת IP: {{ip}}',
    country: 'מדינה: {{country}}',
    after: 'אם הכניסה הייתה שלך, אין צורך לעשות דבר. אחרת, יש לשנות את הסיסמה ולהתנתק משאר ההפעלות.',
  },
  phoneOtp: '{{code}} הוא קוד הכניסה שלך. אין למסור אותו לאף אחד.',
  phoneVerification: '{{code}} הוא קוד האימות של הטלפון שלך. אין למסור אותו לאף אחד.',
  mfaChallengeSms: '{{code}} הוא קוד האימות שלך. אין למסור אותו לאף אחד.',
};
