// Dutch (je).
import type { Translation } from '../translation';

export const nl: Translation = {
  direction: 'ltr',
  common: {
    greeting: 'Hallo{{#user}} {{user}}{{/user}},',
    openLink: 'Of open deze link:',
    phrase: 'Beveiligingszin: {{phrase}}',
    phraseHint: 'Ga alleen verder als deze overeenkomt met de zin die wordt getoond waar je hebt gevraagd om in te loggen.',
    requestedFrom: 'Er is gevraagd om in te loggen vanaf {{ip}}. Was jij dit niet? Dan kun je dit bericht negeren.',
    unknown: 'Onbekend',
  },
  emailVerification: {
    subject: 'Accountverificatie voor {{project}}',
    lead: 'Volg deze link om je e-mailadres te verifiëren:',
    button: 'E-mailadres verifiëren',
    after: 'De link verloopt over {{validity}}. Heb je niet gevraagd om dit adres te verifiëren? Dan kun je dit bericht negeren.',
  },
  recovery: {
    subject: 'Wachtwoord opnieuw instellen voor {{project}}',
    lead: 'Volg deze link om je wachtwoord voor {{project}} opnieuw in te stellen:',
    button: 'Wachtwoord opnieuw instellen',
    after: 'De link verloopt over {{validity}}. Heb je niet gevraagd om je wachtwoord opnieuw in te stellen? Dan kun je dit bericht negeren.',
  },
  magicUrl: {
    subject: 'Inloggen bij {{project}}',
    lead: 'Volg deze link om in te loggen bij {{project}}:',
    button: 'Inloggen',
    after: 'De link verloopt over {{validity}}.',
  },
  emailOtp: {
    subject: 'Inlogcode voor {{project}}',
    lead: 'Voer deze code in om in te loggen bij {{project}}:',
    after: 'De code verloopt over {{validity}}.',
  },
  emailVerificationOtp: {
    subject: 'Verificatiecode voor je account bij {{project}}',
    lead: 'Voer deze code in om je e-mailadres te verifiëren:',
    after: 'De code verloopt over {{validity}}. Heb je niet gevraagd om dit adres te verifiëren? Dan kun je dit bericht negeren.',
  },
  recoveryOtp: {
    subject: 'Code om je wachtwoord voor {{project}} opnieuw in te stellen',
    lead: 'Voer deze code in om je wachtwoord voor {{project}} opnieuw in te stellen:',
    after: 'De code verloopt over {{validity}}. Heb je niet gevraagd om je wachtwoord opnieuw in te stellen? Dan kun je dit bericht negeren.',
  },
  mfaChallenge: {
    subject: 'Verificatiecode voor {{project}}',
    lead: 'Voer deze code in om te bevestigen dat jij het bent:',
    after: 'De code verloopt over {{validity}}. Heb je niet geprobeerd in te loggen? Wijzig dan je wachtwoord.',
  },
  sessionAlert: {
    subject: 'Beveiligingsmelding: nieuwe sessie in je account bij {{project}}',
    lead: 'Er is zojuist ingelogd op je account bij {{project}}.',
    time: 'Tijd: {{time}}',
    device: 'Apparaat: {{device}}',
    ip: 'IP-adres: {{ip}}',
    country: 'Land: {{country}}',
    after: 'Was jij dit? Dan hoef je niets te doen. Zo niet, wijzig dan je wachtwoord en log uit bij je andere sessies.',
  },
  phoneOtp: '{{code}} is je inlogcode. Deel deze code met niemand.',
  phoneVerification: '{{code}} is je code om je telefoonnummer te bevestigen. Deel hem met niemand.',
  mfaChallengeSms: '{{code}} is je verificatiecode. Deel deze code met niemand.',
};
