// Polish (2nd person singular, as Polish apps address users). Sentences about the reader avoid
// past-tense verbs, which would need a gender ("prosiłeś/prosiłaś"), and lifetimes follow a
// colon ("Czas ważności linku: 1 godzina") so that Intl's nominative reads right.
import type { Translation } from '../translation';

export const pl: Translation = {
  direction: 'ltr',
  common: {
    greeting: 'Dzień dobry{{#user}}, {{user}}{{/user}}!',
    openLink: 'Możesz też otworzyć ten link:',
    phrase: 'Fraza bezpieczeństwa: {{phrase}}',
    phraseHint: 'Kontynuuj tylko wtedy, gdy zgadza się z frazą wyświetloną na ekranie logowania.',
    requestedFrom: 'Prośba o zalogowanie została wysłana z adresu {{ip}}. Jeśli to nie Ty, zignoruj tę wiadomość.',
    unknown: 'Nieznane',
  },
  emailVerification: {
    subject: 'Weryfikacja konta w {{project}}',
    lead: 'Kliknij ten link, aby zweryfikować swój adres e-mail:',
    button: 'Zweryfikuj adres e-mail',
    after: 'Czas ważności linku: {{validity}}. Jeśli nie chcesz weryfikować tego adresu, zignoruj tę wiadomość.',
  },
  recovery: {
    subject: 'Resetowanie hasła w {{project}}',
    lead: 'Kliknij ten link, aby zresetować hasło do {{project}}:',
    button: 'Zresetuj hasło',
    after: 'Czas ważności linku: {{validity}}. Jeśli nie chcesz resetować hasła, zignoruj tę wiadomość.',
  },
  magicUrl: {
    subject: 'Logowanie do {{project}}',
    lead: 'Kliknij ten link, aby zalogować się do {{project}}:',
    button: 'Zaloguj się',
    after: 'Czas ważności linku: {{validity}}.',
  },
  emailOtp: {
    subject: 'Kod logowania do {{project}}',
    lead: 'Wpisz ten kod, aby zalogować się do {{project}}:',
    after: 'Czas ważności kodu: {{validity}}.',
  },
  emailVerificationOtp: {
    subject: 'Kod weryfikacji konta w {{project}}',
    lead: 'Wpisz ten kod, aby zweryfikować swój adres e-mail:',
    after: 'Czas ważności kodu: {{validity}}. Jeśli nie chcesz weryfikować tego adresu, zignoruj tę wiadomość.',
  },
  recoveryOtp: {
    subject: 'Kod do resetowania hasła w {{project}}',
    lead: 'Wpisz ten kod, aby zresetować hasło do {{project}}:',
    after: 'Czas ważności kodu: {{validity}}. Jeśli nie chcesz resetować hasła, zignoruj tę wiadomość.',
  },
  mfaChallenge: {
    subject: 'Kod weryfikacyjny do {{project}}',
    lead: 'Wpisz ten kod, aby potwierdzić, że to Ty:',
    after: 'Czas ważności kodu: {{validity}}. Jeśli to nie Ty próbujesz się zalogować, zmień hasło.',
  },
  sessionAlert: {
    subject: 'Alert bezpieczeństwa: nowe logowanie na Twoje konto w {{project}}',
    lead: 'Odnotowano nowe logowanie na Twoje konto w {{project}}.',
    time: 'Czas: {{time}}',
    device: 'Urządzenie: {{device}}',
    ip: 'Adres IP: {{ip}}',
    country: 'Kraj: {{country}}',
    after: 'Jeśli to Ty, nie musisz nic robić. Jeśli nie, zmień hasło i wyloguj się z pozostałych sesji.',
  },
  phoneOtp: '{{code}} to Twój kod logowania. Nikomu go nie podawaj.',
  phoneVerification: '{{code}} to Twój kod weryfikacji telefonu. Nikomu go nie podawaj.',
  mfaChallengeSms: '{{code}} to Twój kod weryfikacyjny. Nikomu go nie podawaj.',
};
