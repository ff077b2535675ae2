// English: the reference every other locale is checked against (Appendix B subjects).
import type { Translation } from '../translation';

export const en: Translation = {
  direction: 'ltr',
  common: {
    greeting: 'Hello{{#user}} {{user}}{{/user}},',
    openLink: 'Or open this link:',
    phrase: 'Security phrase: {{phrase}}',
    phraseHint: 'Only continue if it matches the phrase shown where you asked to sign in.',
    requestedFrom: "This sign-in was requested from {{ip}}. If it wasn't you, you can ignore this message.",
    unknown: 'Unknown',
  },
  emailVerification: {
    subject: 'Account Verification for {{project}}',
    lead: 'Follow this link to verify your email address:',
    button: 'Verify email address',
    after: "The link expires in {{validity}}. If you didn't ask to verify this address, you can ignore this message.",
  },
  recovery: {
    subject: 'Password Reset for {{project}}',
    lead: 'Follow this link to reset your {{project}} password:',
    button: 'Reset password',
    after: "The link expires in {{validity}}. If you didn't ask to reset your password, you can ignore this message.",
  },
  magicUrl: {
    subject: '{{project}} Login',
    lead: 'Follow this link to sign in to {{project}}:',
    button: 'Sign in',
    after: 'The link expires in {{validity}}.',
  },
  emailOtp: {
    subject: 'OTP for {{project}} Login',
    lead: 'Enter this code to sign in to {{project}}:',
    after: 'The code expires in {{validity}}.',
  },
  emailVerificationOtp: {
    subject: 'Account Verification Code for {{project}}',
    lead: 'Enter this code to verify your email address:',
    after: "The code expires in {{validity}}. If you didn't ask to verify this address, you can ignore this message.",
  },
  recoveryOtp: {
    subject: 'Password Reset Code for {{project}}',
    lead: 'Enter this code to reset your {{project}} password:',
    after: "The code expires in {{validity}}. If you didn't ask to reset your password, you can ignore this message.",
  },
  mfaChallenge: {
    subject: 'Verification Code for {{project}}',
    lead: "Enter this code to confirm it's you:",
    after: "The code expires in {{validity}}. If you didn't try to sign in, change your password.",
  },
  sessionAlert: {
    subject: 'Security alert: new session on your {{project}} account',
    lead: 'There is a new sign-in to your {{project}} account.',
    time: 'Time: {{time}}',
    device: 'Device: {{device}}',
    ip: 'IP address: {{ip}}',
    country: 'Country: {{country}}',
    after: "If this was you, there is nothing to do. If it wasn't, change your password and sign out of your other sessions.",
  },
  phoneOtp: '{{code}}',
  phoneVerification: '{{code}}',
  mfaChallengeSms: '{{code}}',
};
