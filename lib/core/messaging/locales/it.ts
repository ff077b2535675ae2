// Italian (tu). Sentences about the reader avoid past participles that would need a gender
// ("se sei stato/stata tu"), and the project name follows "account", so no preposition has to
// agree with it ("a Acme" / "ad Acme").
import type { Translation } from '../translation';

export const it: Translation = {
  direction: 'ltr',
  common: {
    greeting: 'Ciao{{#user}} {{user}}{{/user}},',
    openLink: 'Oppure apri questo link:',
    phrase: 'Frase di sicurezza: {{phrase}}',
    phraseHint: 'Continua solo se corrisponde alla frase mostrata dove hai chiesto di accedere.',
    requestedFrom: 'Questo accesso è stato richiesto da {{ip}}. Se la richiesta non è tua, puoi ignorare questo messaggio.',
    unknown: 'Sconosciuto',
  },
  emailVerification: {
    subject: 'Verifica del tuo account {{project}}',
    lead: 'Segui questo link per verificare il tuo indirizzo email:',
    button: 'Verifica indirizzo email',
    after: 'Il link scade tra {{validity}}. Se non hai chiesto di verificare questo indirizzo, puoi ignorare questo messaggio.',
  },
  recovery: {
    subject: 'Reimpostazione della tua password di {{project}}',
    lead: 'Segui questo link per reimpostare la tua password di {{project}}:',
    button: 'Reimposta password',
    after: 'Il link scade tra {{validity}}. Se non hai chiesto di reimpostare la password, puoi ignorare questo messaggio.',
  },
  magicUrl: {
    subject: 'Accesso al tuo account {{project}}',
    lead: 'Segui questo link per accedere al tuo account {{project}}:',
    button: 'Accedi',
    after: 'Il link scade tra {{validity}}.',
  },
  emailOtp: {
    subject: 'Codice di accesso al tuo account {{project}}',
    lead: 'Inserisci questo codice per accedere al tuo account {{project}}:',
    after: 'Il codice scade tra {{validity}}.',
  },
  emailVerificationOtp: {
    subject: 'Codice di verifica del tuo account {{project}}',
    lead: 'Inserisci questo codice per verificare il tuo indirizzo email:',
    after: 'Il codice scade tra {{validity}}. Se non hai chiesto di verificare questo indirizzo, puoi ignorare questo messaggio.',
  },
  recoveryOtp: {
    subject: 'Codice per reimpostare la tua password di {{project}}',
    lead: 'Inserisci questo codice per reimpostare la tua password di {{project}}:',
    after: 'Il codice scade tra {{validity}}. Se non hai chiesto di reimpostare la password, puoi ignorare questo messaggio.',
  },
  mfaChallenge: {
    subject: 'Codice di verifica per {{project}}',
    lead: 'Inserisci questo codice per confermare la tua identità:',
    after: 'Il codice scade tra {{validity}}. Se non hai provato ad accedere, cambia la password.',
  },
  sessionAlert: {
    subject: 'Avviso di sicurezza: nuovo accesso al tuo account {{project}}',
    lead: 'È stato effettuato un nuovo accesso al tuo account {{project}}.',
    time: 'Data e ora: {{time}}',
    device: 'Dispositivo: {{device}}',
    ip: 'Indirizzo IP: {{ip}}',
    country: 'Paese: {{country}}',
    after: 'Se l’accesso è tuo, non devi fare nulla. Altrimenti, cambia la password ed esci dalle altre sessioni.',
  },
  phoneOtp: '{{code}} è il tuo codice di accesso. Non condividerlo con nessuno.',
  phoneVerification: '{{code}} è il tuo codice per verificare il telefono. Non condividerlo.',
  mfaChallengeSms: '{{code}} è il tuo codice di verifica. Non condividerlo con nessuno.',
};
