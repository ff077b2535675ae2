// German (Sie). Lifetimes read "ist 7 Tage gültig", which takes Intl's plain plural as is
// (after "in" it would need the dative, "in 7 Tagen").
import type { Translation } from '../translation';

export const de: Translation = {
  direction: 'ltr',
  common: {
    greeting: 'Hallo{{#user}} {{user}}{{/user}},',
    openLink: 'Oder öffnen Sie diesen Link:',
    phrase: 'Sicherheitsphrase: {{phrase}}',
    phraseHint: 'Fahren Sie nur fort, wenn sie mit der Phrase übereinstimmt, die dort angezeigt wird, wo Sie die Anmeldung angefordert haben.',
    requestedFrom: 'Diese Anmeldung wurde von {{ip}} aus angefordert. Falls Sie das nicht waren, können Sie diese Nachricht ignorieren.',
    unknown: 'Unbekannt',
  },
  emailVerification: {
    subject: 'Kontobestätigung für {{project}}',
    lead: 'Bestätigen Sie Ihre E-Mail-Adresse über diesen Link:',
    button: 'E-Mail-Adresse bestätigen',
    after: 'Der Link ist {{validity}} gültig. Falls Sie diese Bestätigung nicht angefordert haben, können Sie diese Nachricht ignorieren.',
  },
  recovery: {
    subject: 'Passwort zurücksetzen für {{project}}',
    lead: 'Setzen Sie Ihr Passwort für {{project}} über diesen Link zurück:',
    button: 'Passwort zurücksetzen',
    after: 'Der Link ist {{validity}} gültig. Falls Sie das Zurücksetzen nicht angefordert haben, können Sie diese Nachricht ignorieren.',
  },
  magicUrl: {
    subject: 'Anmeldung bei {{project}}',
    lead: 'Melden Sie sich über diesen Link bei {{project}} an:',
    button: 'Anmelden',
    after: 'Der Link ist {{validity}} gültig.',
  },
  emailOtp: {
    subject: 'Anmeldecode für {{project}}',
    lead: 'Geben Sie diesen Code ein, um sich bei {{project}} anzumelden:',
    after: 'Der Code ist {{validity}} gültig.',
  },
  emailVerificationOtp: {
    subject: 'Bestätigungscode für Ihr Konto bei {{project}}',
    lead: 'Geben Sie diesen Code ein, um Ihre E-Mail-Adresse zu bestätigen:',
    after: 'Der Code ist {{validity}} gültig. Falls Sie diese Bestätigung nicht angefordert haben, können Sie diese Nachricht ignorieren.',
  },
  recoveryOtp: {
    subject: 'Code zum Zurücksetzen Ihres Passworts für {{project}}',
    lead: 'Geben Sie diesen Code ein, um Ihr Passwort für {{project}} zurückzusetzen:',
    after: 'Der Code ist {{validity}} gültig. Falls Sie das Zurücksetzen nicht angefordert haben, können Sie diese Nachricht ignorieren.',
  },
  mfaChallenge: {
    subject: 'Bestätigungscode für {{project}}',
    lead: 'Geben Sie diesen Code ein, um zu bestätigen, dass Sie es sind:',
    after: 'Der Code ist {{validity}} gültig. Falls Sie nicht versucht haben, sich anzumelden, ändern Sie Ihr Passwort.',
  },
  sessionAlert: {
    subject: 'Sicherheitshinweis: neue Anmeldung bei Ihrem Konto für {{project}}',
    lead: 'Bei Ihrem Konto für {{project}} gab es eine neue Anmeldung.',
    time: 'Zeit: {{time}}',
    device: 'Gerät: {{device}}',
    ip: 'IP-Adresse: {{ip}}',
    country: 'Land: {{country}}',
    after: 'Wenn Sie das waren, ist nichts weiter zu tun. Falls nicht, ändern Sie Ihr Passwort und melden Sie Ihre anderen Sitzungen ab.',
  },
  phoneOtp: '{{code}} ist Ihr Anmeldecode. Geben Sie ihn an niemanden weiter.',
  phoneVerification: '{{code}} ist Ihr Code zur Bestätigung Ihrer Telefonnummer. Geben Sie ihn an niemanden weiter.',
  mfaChallengeSms: '{{code}} ist Ihr Bestätigungscode. Geben Sie ihn an niemanden weiter.',
};
