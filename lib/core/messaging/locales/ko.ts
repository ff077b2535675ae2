// Korean (합니다체). The SMS sets the code off with a dash: a particle after it would depend on
// how the last digit is read (123456은, 123457은, 123452는).
import type { Translation } from '../translation';

export const ko: Translation = {
  direction: 'ltr',
  common: {
    greeting: '안녕하세요{{#user}}, {{user}}님{{/user}}.',
    openLink: '버튼이 보이지 않으면 다음 링크를 여세요:',
    phrase: '보안 문구: {{phrase}}',
    phraseHint: '로그인을 요청한 화면에 표시된 문구와 일치하는 경우에만 계속하세요.',
    requestedFrom: '이 로그인은 {{ip}}에서 요청되었습니다. 본인이 요청하지 않았다면 이 메일을 무시하셔도 됩니다.',
    unknown: '알 수 없음',
  },
  emailVerification: {
    subject: '{{project}} 계정 인증',
    lead: '다음 링크를 눌러 이메일 주소를 인증하세요:',
    button: '이메일 주소 인증',
    after: '이 링크는 {{validity}} 동안 유효합니다. 이 주소의 인증을 요청하지 않았다면 이 메일을 무시하셔도 됩니다.',
  },
  recovery: {
    subject: '{{project}} 비밀번호 재설정',
    lead: '다음 링크를 눌러 {{project}} 비밀번호를 재설정하세요:',
    button: '비밀번호 재설정',
    after: '이 링크는 {{validity}} 동안 유효합니다. 비밀번호 재설정을 요청하지 않았다면 이 메일을 무시하셔도 됩니다.',
  },
  magicUrl: {
    subject: '{{project}} 로그인',
    lead: '다음 링크를 눌러 {{project}}에 로그인하세요:',
    button: '로그인',
    after: '이 링크는 {{validity}} 동안 유효합니다.',
  },
  emailOtp: {
    subject: '{{project}} 로그인 코드',
    lead: '{{project}}에 로그인하려면 다음 코드를 입력하세요:',
    after: '이 코드는 {{validity}} 동안 유효합니다.',
  },
  emailVerificationOtp: {
    subject: '{{project}} 계정 인증 코드',
    lead: '이메일 주소를 인증하려면 다음 코드를 입력하세요:',
    after: '이 코드는 {{validity}} 동안 유효합니다. 이 주소의 인증을 요청하지 않았다면 이 메일을 무시하셔도 됩니다.',
  },
  recoveryOtp: {
    subject: '{{project}} 비밀번호 재설정 코드',
    lead: '{{project}} 비밀번호를 재설정하려면 다음 코드를 입력하세요:',
    after: '이 코드는 {{validity}} 동안 유효합니다. 비밀번호 재설정을 요청하지 않았다면 이 메일을 무시하셔도 됩니다.',
  },
  mfaChallenge: {
    subject: '{{project}} 인증 코드',
    lead: '본인 확인을 위해 다음 코드를 입력하세요:',
    after: '이 코드는 {{validity}} 동안 유효합니다. 로그인을 시도하지 않았다면 비밀번호를 변경하세요.',
  },
  sessionAlert: {
    subject: '보안 알림: {{project}} 계정에 새 로그인',
    lead: '{{project}} 계정에 새로운 로그인이 있었습니다.',
    time: '시간: {{time}}',
    device: '기기: {{device}}',
    ip: 'IP 주소: {{ip}}',
    country: '국가: {{country}}',
    after: '본인이 맞다면 아무 조치도 필요하지 않습니다. 본인이 아니라면 비밀번호를 변경하고 다른 세션에서 로그아웃하세요.',
  },
  phoneOtp: '{{code}} — 로그인 인증번호입니다. 다른 사람에게 알려주지 마세요.',
  phoneVerification: '{{code}} — 전화번호 인증번호입니다. 다른 사람에게 알려주지 마세요.',
  mfaChallengeSms: '{{code}} — 본인 확인 인증번호입니다. 다른 사람에게 알려주지 마세요.',
};
