// Turkish (siz). Lifetimes read "{{validity}} boyunca geçerlidir": a numeral takes the singular
// noun Intl gives ("15 dakika"), and "boyunca" needs no case ending.
import type { Translation } from '../translation';

export const tr: Translation = {
  direction: 'ltr',
  common: {
    greeting: 'Merhaba{{#user}} {{user}}{{/user}},',
    openLink: 'Ya da bu bağlantıyı açın:',
    phrase: 'Güvenlik ifadesi: {{phrase}}',
    phraseHint: 'Yalnızca oturum açmak istediğiniz yerde gösterilen ifadeyle aynıysa devam edin.',
    requestedFrom: 'Bu oturum açma isteği {{ip}} adresinden geldi. İstek size ait değilse bu iletiyi yok sayabilirsiniz.',
    unknown: 'Bilinmiyor',
  },
  emailVerification: {
    subject: '{{project}} hesap doğrulaması',
    lead: 'E-posta adresinizi doğrulamak için bu bağlantıyı açın:',
    button: 'E-posta adresini doğrula',
    after: 'Bağlantı {{validity}} boyunca geçerlidir. Bu adresin doğrulanmasını istemediyseniz bu iletiyi yok sayabilirsiniz.',
  },
  recovery: {
    subject: '{{project}} parola sıfırlama',
    lead: '{{project}} parolanızı sıfırlamak için bu bağlantıyı açın:',
    button: 'Parolayı sıfırla',
    after: 'Bağlantı {{validity}} boyunca geçerlidir. Parolanızın sıfırlanmasını istemediyseniz bu iletiyi yok sayabilirsiniz.',
  },
  magicUrl: {
    subject: '{{project}} oturum açma bağlantısı',
    lead: '{{project}} hesabınızda oturum açmak için bu bağlantıyı açın:',
    button: 'Oturum aç',
    after: 'Bağlantı {{validity}} boyunca geçerlidir.',
  },
  emailOtp: {
    subject: '{{project}} oturum açma kodu',
    lead: '{{project}} hesabınızda oturum açmak için bu kodu girin:',
    after: 'Kod {{validity}} boyunca geçerlidir.',
  },
  emailVerificationOtp: {
    subject: '{{project}} hesap doğrulama kodu',
    lead: 'E-posta adresinizi doğrulamak için bu kodu girin:',
    after: 'Kod {{validity}} boyunca geçerlidir. Bu adresin doğrulanmasını istemediyseniz bu iletiyi yok sayabilirsiniz.',
  },
  recoveryOtp: {
    subject: '{{project}} parola sıfırlama kodu',
    lead: '{{project}} parolanızı sıfırlamak için bu kodu girin:',
    after: 'Kod {{validity}} boyunca geçerlidir. Parolanızın sıfırlanmasını istemediyseniz bu iletiyi yok sayabilirsiniz.',
  },
  mfaChallenge: {
    subject: '{{project}} doğrulama kodu',
    lead: 'Kimliğinizi doğrulamak için bu kodu girin:',
    after: 'Kod {{validity}} boyunca geçerlidir. Oturum açmayı siz denemediyseniz parolanızı değiştirin.',
  },
  sessionAlert: {
    subject: 'Güvenlik uyarısı: {{project}} hesabınızda yeni oturum',
    lead: '{{project}} hesabınızda yeni bir oturum açıldı.',
    time: 'Zaman: {{time}}',
    device: 'Cihaz: {{device}}',
    ip: 'IP adresi: {{ip}}',
    country: 'Ülke: {{country}}',
    after: 'Oturumu siz açtıysanız yapmanız gereken bir şey yok. Açmadıysanız parolanızı değiştirin ve diğer oturumlarınızı kapatın.',
  },
  phoneOtp: '{{code}} oturum açma kodunuzdur. Kimseyle paylaşmayın.',
  phoneVerification: '{{code}} telefon doğrulama kodunuzdur. Kimseyle paylaşmayın.',
  mfaChallengeSms: '{{code}} doğrulama kodunuzdur. Kimseyle paylaşmayın.',
};
