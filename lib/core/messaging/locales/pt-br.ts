// Brazilian Portuguese (você). The project name follows "conta" as brand names do
// ("sua conta Acme"), so no article has to guess its gender.
import type { Translation } from '../translation';

export const ptBr: Translation = {
  direction: 'ltr',
  common: {
    greeting: 'Olá{{#user}}, {{user}}{{/user}},',
    openLink: 'Ou abra este link:',
    phrase: 'Frase de segurança: {{phrase}}',
    phraseHint: 'Só continue se ela for igual à frase exibida onde você pediu para entrar.',
    requestedFrom: 'Este acesso foi solicitado a partir de {{ip}}. Se não foi você, ignore esta mensagem.',
    unknown: 'Desconhecido',
  },
  emailVerification: {
    subject: 'Verificação da sua conta {{project}}',
    lead: 'Acesse este link para confirmar seu endereço de e-mail:',
    button: 'Confirmar e-mail',
    after: 'O link expira em {{validity}}. Se você não pediu para confirmar este endereço, ignore esta mensagem.',
  },
  recovery: {
    subject: 'Redefinição de senha da sua conta {{project}}',
    lead: 'Acesse este link para redefinir a senha da sua conta {{project}}:',
    button: 'Redefinir senha',
    after: 'O link expira em {{validity}}. Se você não pediu para redefinir sua senha, ignore esta mensagem.',
  },
  magicUrl: {
    subject: 'Acesso à sua conta {{project}}',
    lead: 'Acesse este link para entrar na sua conta {{project}}:',
    button: 'Entrar',
    after: 'O link expira em {{validity}}.',
  },
  emailOtp: {
    subject: 'Código de acesso à sua conta {{project}}',
    lead: 'Digite este código para entrar na sua conta {{project}}:',
    after: 'O código expira em {{validity}}.',
  },
  emailVerificationOtp: {
    subject: 'Código de verificação da sua conta {{project}}',
    lead: 'Digite este código para confirmar seu endereço de e-mail:',
    after: 'O código expira em {{validity}}. Se você não pediu para confirmar este endereço, ignore esta mensagem.',
  },
  recoveryOtp: {
    subject: 'Código para redefinir a senha da sua conta {{project}}',
    lead: 'Digite este código para redefinir a senha da sua conta {{project}}:',
    after: 'O código expira em {{validity}}. Se você não pediu para redefinir sua senha, ignore esta mensagem.',
  },
  mfaChallenge: {
    subject: 'Código de verificação de acesso à sua conta {{project}}',
    lead: 'Digite este código para confirmar que é você:',
    after: 'O código expira em {{validity}}. Se não foi você que tentou entrar, altere sua senha.',
  },
  sessionAlert: {
    subject: 'Alerta de segurança: novo acesso à sua conta {{project}}',
    lead: 'Houve um novo acesso à sua conta {{project}}.',
    time: 'Data e hora: {{time}}',
    device: 'Dispositivo: {{device}}',
    ip: 'Endereço IP: {{ip}}',
    country: 'País: {{country}}',
    after: 'Se foi você, não é preciso fazer nada. Se não foi, altere sua senha e encerre suas outras sessões.',
  },
  phoneOtp: '{{code}} é seu código de acesso. Não o compartilhe.',
  phoneVerification: '{{code}} é seu código para confirmar o telefone. Não o compartilhe.',
  mfaChallengeSms: '{{code}} é seu código de verificação. Não o compartilhe.',
};
