// Spanish (neutral, tú).
import type { Translation } from '../translation';

export const es: Translation = {
  direction: 'ltr',
  common: {
    greeting: 'Hola{{#user}}, {{user}}{{/user}}:',
    openLink: 'O abre este enlace:',
    phrase: 'Frase de seguridad: {{phrase}}',
    phraseHint: 'Continúa solo si coincide con la frase que aparece donde pediste iniciar sesión.',
    requestedFrom: 'Este inicio de sesión se solicitó desde {{ip}}. Si no fuiste tú, puedes ignorar este mensaje.',
    unknown: 'Desconocido',
  },
  emailVerification: {
    subject: 'Verificación de tu cuenta de {{project}}',
    lead: 'Sigue este enlace para verificar tu dirección de correo electrónico:',
    button: 'Verificar correo electrónico',
    after: 'El enlace caduca en {{validity}}. Si no pediste verificar esta dirección, puedes ignorar este mensaje.',
  },
  recovery: {
    subject: 'Restablecimiento de tu contraseña de {{project}}',
    lead: 'Sigue este enlace para restablecer tu contraseña de {{project}}:',
    button: 'Restablecer contraseña',
    after: 'El enlace caduca en {{validity}}. Si no pediste restablecer tu contraseña, puedes ignorar este mensaje.',
  },
  magicUrl: {
    subject: 'Inicio de sesión en {{project}}',
    lead: 'Sigue este enlace para iniciar sesión en {{project}}:',
    button: 'Iniciar sesión',
    after: 'El enlace caduca en {{validity}}.',
  },
  emailOtp: {
    subject: 'Código para iniciar sesión en {{project}}',
    lead: 'Introduce este código para iniciar sesión en {{project}}:',
    after: 'El código caduca en {{validity}}.',
  },
  emailVerificationOtp: {
    subject: 'Código de verificación de tu cuenta de {{project}}',
    lead: 'Introduce este código para verificar tu dirección de correo electrónico:',
    after: 'El código caduca en {{validity}}. Si no pediste verificar esta dirección, puedes ignorar este mensaje.',
  },
  recoveryOtp: {
    subject: 'Código para restablecer tu contraseña de {{project}}',
    lead: 'Introduce este código para restablecer tu contraseña de {{project}}:',
    after: 'El código caduca en {{validity}}. Si no pediste restablecer tu contraseña, puedes ignorar este mensaje.',
  },
  mfaChallenge: {
    subject: 'Código de verificación de {{project}}',
    lead: 'Introduce este código para confirmar que eres tú:',
    after: 'El código caduca en {{validity}}. Si no intentaste iniciar sesión, cambia tu contraseña.',
  },
  sessionAlert: {
    subject: 'Alerta de seguridad: nueva sesión en tu cuenta de {{project}}',
    lead: 'Hay un nuevo inicio de sesión en tu cuenta de {{project}}.',
    time: 'Fecha y hora: {{time}}',
    device: 'Dispositivo: {{device}}',
    ip: 'Dirección IP: {{ip}}',
    country: 'País: {{country}}',
    after: 'Si fuiste tú, no tienes que hacer nada. Si no, cambia tu contraseña y cierra tus otras sesiones.',
  },
  phoneOtp: '{{code}} es tu código para iniciar sesión. No lo compartas.',
  phoneVerification: '{{code}} es tu código para verificar tu teléfono. No lo compartas.',
  mfaChallengeSms: '{{code}} es tu código de verificación. No lo compartas.',
};
