// Simplified Chinese (mainland usage).
import type { Translation } from '../translation';

export const zhCn: Translation = {
  direction: 'ltr',
  common: {
    greeting: '{{#user}}{{user}}，{{/user}}您好：',
    openLink: '也可以打开此链接：',
    phrase: '安全短语：{{phrase}}',
    phraseHint: '只有当它与您发起登录的页面上显示的短语一致时，才可继续操作。',
    requestedFrom: '此登录请求来自 {{ip}}。如果不是您本人操作，请忽略此邮件。',
    unknown: '未知',
  },
  emailVerification: {
    subject: '{{project}} 账户验证',
    lead: '请点击以下链接验证您的电子邮件地址：',
    button: '验证电子邮件地址',
    after: '链接将在{{validity}}后失效。如果您没有申请验证此地址，请忽略此邮件。',
  },
  recovery: {
    subject: '{{project}} 密码重置',
    lead: '请点击以下链接重置您的 {{project}} 密码：',
    button: '重置密码',
    after: '链接将在{{validity}}后失效。如果您没有申请重置密码，请忽略此邮件。',
  },
  magicUrl: {
    subject: '登录 {{project}}',
    lead: '请点击以下链接登录 {{project}}：',
    button: '登录',
    after: '链接将在{{validity}}后失效。',
  },
  emailOtp: {
    subject: '{{project}} 登录验证码',
    lead: '请输入以下验证码登录 {{project}}：',
    after: '验证码将在{{validity}}后失效。',
  },
  emailVerificationOtp: {
    subject: '{{project}} 账户验证码',
    lead: '请输入以下验证码以验证您的电子邮件地址：',
    after: '验证码将在{{validity}}后失效。如果您没有申请验证此地址，请忽略此邮件。',
  },
  recoveryOtp: {
    subject: '{{project}} 密码重置验证码',
    lead: '请输入以下验证码以重置您的 {{project}} 密码：',
    after: '验证码将在{{validity}}后失效。如果您没有申请重置密码，请忽略此邮件。',
  },
  mfaChallenge: {
    subject: '{{project}} 身份验证码',
    lead: '请输入以下验证码以确认是您本人：',
    after: '验证码将在{{validity}}后失效。如果您没有尝试登录，请修改密码。',
  },
  sessionAlert: {
    subject: '安全提醒：您的 {{project}} 账户有新的登录',
    lead: '您的 {{project}} 账户有一次新的登录。',
    time: '时间：{{time}}',
    device: '设备：{{device}}',
    ip: 'IP 地址：{{ip}}',
    country: '国家/地区：{{country}}',
    after: '如果是您本人操作，无需任何处理。如果不是，请修改密码并退出其他会话。',
  },
  phoneOtp: '{{code}} 是您的登录验证码，请勿告诉他人。',
  phoneVerification: '{{code}} 是您的手机号验证码，请勿告诉他人。',
  mfaChallengeSms: '{{code}} 是您的身份验证码，请勿告诉他人。',
};
