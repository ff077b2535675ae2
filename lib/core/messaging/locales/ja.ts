// Japanese (です・ます).
import type { Translation } from '../translation';

export const ja: Translation = {
  direction: 'ltr',
  common: {
    greeting: 'こんにちは{{#user}}、{{user}} 様{{/user}}。',
    openLink: 'ボタンが使えない場合は、こちらのリンクを開いてください：',
    phrase: 'セキュリティフレーズ：{{phrase}}',
    phraseHint: 'ログインを要求した画面に表示されているフレーズと一致する場合のみ、続行してください。',
    requestedFrom: 'このログインは {{ip}} から要求されました。心当たりがない場合は、このメールを無視してください。',
    unknown: '不明',
  },
  emailVerification: {
    subject: '{{project}} アカウントの確認',
    lead: '次のリンクからメールアドレスを確認してください：',
    button: 'メールアドレスを確認',
    after: 'リンクの有効期間は{{validity}}です。このアドレスの確認を依頼していない場合は、このメールを無視してください。',
  },
  recovery: {
    subject: '{{project}} パスワードの再設定',
    lead: '次のリンクから {{project}} のパスワードを再設定してください：',
    button: 'パスワードを再設定',
    after: 'リンクの有効期間は{{validity}}です。パスワードの再設定を依頼していない場合は、このメールを無視してください。',
  },
  magicUrl: {
    subject: '{{project}} へのログイン',
    lead: '次のリンクから {{project}} にログインしてください：',
    button: 'ログイン',
    after: 'リンクの有効期間は{{validity}}です。',
  },
  emailOtp: {
    subject: '{{project}} ログイン用コード',
    lead: '{{project}} にログインするには、次のコードを入力してください：',
    after: 'コードの有効期間は{{validity}}です。',
  },
  emailVerificationOtp: {
    subject: '{{project}} アカウント確認用コード',
    lead: 'メールアドレスを確認するには、次のコードを入力してください：',
    after: 'コードの有効期間は{{validity}}です。このアドレスの確認を依頼していない場合は、このメールを無視してください。',
  },
  recoveryOtp: {
    subject: '{{project}} パスワード再設定用コード',
    lead: '{{project}} のパスワードを再設定するには、次のコードを入力してください：',
    after: 'コードの有効期間は{{validity}}です。パスワードの再設定を依頼していない場合は、このメールを無視してください。',
  },
  mfaChallenge: {
    subject: '{{project}} 確認コード',
    lead: 'ご本人確認のため、次のコードを入力してください：',
    after: 'コードの有効期間は{{validity}}です。ログインしようとしていない場合は、パスワードを変更してください。',
  },
  sessionAlert: {
    subject: 'セキュリティ通知：{{project}} アカウントへの新しいログイン',
    lead: '{{project}} アカウントに新しいログインがありました。',
    time: '日時：{{time}}',
    device: 'デバイス：{{device}}',
    ip: 'IP アドレス：{{ip}}',
    country: '国・地域：{{country}}',
    after: 'ご自身によるログインであれば、対応は不要です。心当たりがない場合は、パスワードを変更し、他のセッションからログアウトしてください。',
  },
  phoneOtp: '{{code}} はログイン用の確認コードです。他人に教えないでください。',
  phoneVerification: '{{code}} は電話番号の確認コードです。他人に教えないでください。',
  mfaChallengeSms: '{{code}} は本人確認用のコードです。他人に教えないでください。',
};
