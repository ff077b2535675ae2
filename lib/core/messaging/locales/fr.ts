// French (vous).
import type { Translation } from '../translation';

export const fr: Translation = {
  direction: 'ltr',
  common: {
    greeting: 'Bonjour{{#user}} {{user}}{{/user}},',
    openLink: 'Ou ouvrez ce lien :',
    phrase: 'Phrase de sécurité : {{phrase}}',
    phraseHint: 'Ne continuez que si elle correspond à la phrase affichée là où vous avez demandé à vous connecter.',
    requestedFrom: 'Cette connexion a été demandée depuis {{ip}}. Si ce n’était pas vous, ignorez ce message.',
    unknown: 'Inconnu',
  },
  emailVerification: {
    subject: 'Vérification de votre compte {{project}}',
    lead: 'Suivez ce lien pour vérifier votre adresse e-mail :',
    button: 'Vérifier l’adresse e-mail',
    after: 'Le lien expire dans {{validity}}. Si vous n’avez pas demandé à vérifier cette adresse, ignorez ce message.',
  },
  recovery: {
    subject: 'Réinitialisation de votre mot de passe {{project}}',
    lead: 'Suivez ce lien pour réinitialiser votre mot de passe {{project}} :',
    button: 'Réinitialiser le mot de passe',
    after: 'Le lien expire dans {{validity}}. Si vous n’avez pas demandé à réinitialiser votre mot de passe, ignorez ce message.',
  },
  magicUrl: {
    subject: 'Connexion à {{project}}',
    lead: 'Suivez ce lien pour vous connecter à {{project}} :',
    button: 'Se connecter',
    after: 'Le lien expire dans {{validity}}.',
  },
  emailOtp: {
    subject: 'Code de connexion à {{project}}',
    lead: 'Saisissez ce code pour vous connecter à {{project}} :',
    after: 'Le code expire dans {{validity}}.',
  },
  emailVerificationOtp: {
    subject: 'Code de vérification de votre compte {{project}}',
    lead: 'Saisissez ce code pour vérifier votre adresse e-mail :',
    after: 'Le code expire dans {{validity}}. Si vous n’avez pas demandé à vérifier cette adresse, ignorez ce message.',
  },
  recoveryOtp: {
    subject: 'Code de réinitialisation de votre mot de passe {{project}}',
    lead: 'Saisissez ce code pour réinitialiser votre mot de passe {{project}} :',
    after: 'Le code expire dans {{validity}}. Si vous n’avez pas demandé à réinitialiser votre mot de passe, ignorez ce message.',
  },
  mfaChallenge: {
    subject: 'Code de vérification {{project}}',
    lead: 'Saisissez ce code pour confirmer votre identité :',
    after: 'Le code expire dans {{validity}}. Si vous n’avez pas essayé de vous connecter, changez votre mot de passe.',
  },
  sessionAlert: {
    subject: 'Alerte de sécurité : nouvelle connexion à votre compte {{project}}',
    lead: 'Une nouvelle connexion à votre compte {{project}} a eu lieu.',
    time: 'Date : {{time}}',
    device: 'Appareil : {{device}}',
    ip: 'Adresse IP : {{ip}}',
    country: 'Pays : {{country}}',
    after: 'Si c’était vous, vous n’avez rien à faire. Sinon, changez votre mot de passe et fermez vos autres sessions.',
  },
  phoneOtp: '{{code}} est votre code de connexion. Ne le communiquez à personne.',
  phoneVerification: '{{code}} est votre code de vérification du téléphone. Ne le communiquez à personne.',
  mfaChallengeSms: '{{code}} est votre code de vérification. Ne le communiquez à personne.',
};
