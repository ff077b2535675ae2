// Traditional Chinese (Taiwan usage).
import type { Translation } from '../translation';

export const zhTw: Translation = {
  direction: 'ltr',
  common: {
    greeting: '{{#user}}{{user}}，{{/user}}您好：',
    openLink: '也可以開啟這個連結：',
    phrase: '安全詞組：{{phrase}}',
    phraseHint: '只有在它與您要求登入的畫面上顯示的詞組相符時，才可繼續操作。',
    requestedFrom: '這次登入要求來自 {{ip}}。如果不是您本人，請忽略這封郵件。',
    unknown: '不明',
  },
  emailVerification: {
    subject: '{{project}} 帳戶驗證',
    lead: '請點選以下連結驗證您的電子郵件地址：',
    button: '驗證電子郵件地址',
    after: '連結將在{{validity}}後失效。如果您沒有要求驗證這個地址，請忽略這封郵件。',
  },
  recovery: {
    subject: '{{project}} 密碼重設',
    lead: '請點選以下連結重設您的 {{project}} 密碼：',
    button: '重設密碼',
    after: '連結將在{{validity}}後失效。如果您沒有要求重設密碼，請忽略這封郵件。',
  },
  magicUrl: {
    subject: '登入 {{project}}',
    lead: '請點選以下連結登入 {{project}}：',
    button: '登入',
    after: '連結將在{{validity}}後失效。',
  },
  emailOtp: {
    subject: '{{project}} 登入驗證碼',
    lead: '請輸入以下驗證碼登入 {{project}}：',
    after: '驗證碼將在{{validity}}後失效。',
  },
  emailVerificationOtp: {
    subject: '{{project}} 帳戶驗證碼',
    lead: '請輸入以下驗證碼以驗證您的電子郵件地址：',
    after: '驗證碼將在{{validity}}後失效。如果您沒有要求驗證這個地址，請忽略這封郵件。',
  },
  recoveryOtp: {
    subject: '{{project}} 密碼重設驗證碼',
    lead: '請輸入以下驗證碼以重設您的 {{project}} 密碼：',
    after: '驗證碼將在{{validity}}後失效。如果您沒有要求重設密碼，請忽略這封郵件。',
  },
  mfaChallenge: {
    subject: '{{project}} 身分驗證碼',
    lead: '請輸入以下驗證碼以確認是您本人：',
    after: '驗證碼將在{{validity}}後失效。如果您沒有嘗試登入，請變更密碼。',
  },
  sessionAlert: {
    subject: '安全性通知：您的 {{project}} 帳戶有新的登入',
    lead: '您的 {{project}} 帳戶有一次新的登入。',
    time: '時間：{{time}}',
    device: '裝置：{{device}}',
    ip: 'IP 位址：{{ip}}',
    country: '國家/地區：{{country}}',
    after: '如果是您本人，不需要採取任何動作。如果不是，請變更密碼並登出其他工作階段。',
  },
  phoneOtp: '{{code}} 是您的登入驗證碼，請勿提供給他人。',
  phoneVerification: '{{code}} 是您的手機號碼驗證碼，請勿提供給他人。',
  mfaChallengeSms: '{{code}} 是您的身分驗證碼，請勿提供給他人。',
};
