// Vietnamese (bạn).
import type { Translation } from '../translation';

export const vi: Translation = {
  direction: 'ltr',
  common: {
    greeting: 'Xin chào{{#user}} {{user}}{{/user}},',
    openLink: 'Hoặc mở liên kết này:',
    phrase: 'Cụm từ bảo mật: {{phrase}}',
    phraseHint: 'Chỉ tiếp tục nếu cụm từ này khớp với cụm từ hiển thị ở nơi bạn yêu cầu đăng nhập.',
    requestedFrom: 'Yêu cầu đăng nhập này được gửi từ {{ip}}. Nếu không phải bạn, bạn có thể bỏ qua email này.',
    unknown: 'Không xác định',
  },
  emailVerification: {
    subject: 'Xác minh tài khoản {{project}}',
    lead: 'Mở liên kết này để xác minh địa chỉ email của bạn:',
    button: 'Xác minh địa chỉ email',
    after: 'Liên kết sẽ hết hạn sau {{validity}}. Nếu bạn không yêu cầu xác minh địa chỉ này, bạn có thể bỏ qua email này.',
  },
  recovery: {
    subject: 'Đặt lại mật khẩu {{project}}',
    lead: 'Mở liên kết này để đặt lại mật khẩu {{project}} của bạn:',
    button: 'Đặt lại mật khẩu',
    after: 'Liên kết sẽ hết hạn sau {{validity}}. Nếu bạn không yêu cầu đặt lại mật khẩu, bạn có thể bỏ qua email này.',
  },
  magicUrl: {
    subject: 'Đăng nhập {{project}}',
    lead: 'Mở liên kết này để đăng nhập vào {{project}}:',
    button: 'Đăng nhập',
    after: 'Liên kết sẽ hết hạn sau {{validity}}.',
  },
  emailOtp: {
    subject: 'Mã đăng nhập {{project}}',
    lead: 'Nhập mã này để đăng nhập vào {{project}}:',
    after: 'Mã sẽ hết hạn sau {{validity}}.',
  },
  emailVerificationOtp: {
    subject: 'Mã xác minh tài khoản {{project}}',
    lead: 'Nhập mã này để xác minh địa chỉ email của bạn:',
    after: 'Mã sẽ hết hạn sau {{validity}}. Nếu bạn không yêu cầu xác minh địa chỉ này, bạn có thể bỏ qua email này.',
  },
  recoveryOtp: {
    subject: 'Mã đặt lại mật khẩu {{project}}',
    lead: 'Nhập mã này để đặt lại mật khẩu {{project}} của bạn:',
    after: 'Mã sẽ hết hạn sau {{validity}}. Nếu bạn không yêu cầu đặt lại mật khẩu, bạn có thể bỏ qua email này.',
  },
  mfaChallenge: {
    subject: 'Mã xác minh {{project}}',
    lead: 'Nhập mã này để xác nhận đó là bạn:',
    after: 'Mã sẽ hết hạn sau {{validity}}. Nếu bạn không thử đăng nhập, hãy đổi mật khẩu.',
  },
  sessionAlert: {
    subject: 'Cảnh báo bảo mật: phiên đăng nhập mới vào tài khoản {{project}} của bạn',
    lead: 'Có một lượt đăng nhập mới vào tài khoản {{project}} của bạn.',
    time: 'Thời gian: {{time}}',
    device: 'Thiết bị: {{device}}',
    ip: 'Địa chỉ IP: {{ip}}',
    country: 'Quốc gia: {{country}}',
    after: 'Nếu đó là bạn, bạn không cần làm gì. Nếu không, hãy đổi mật khẩu và đăng xuất khỏi các phiên khác.',
  },
  phoneOtp: '{{code}} là mã đăng nhập của bạn. Đừng chia sẻ mã này.',
  phoneVerification: '{{code}} là mã xác minh số điện thoại của bạn. Đừng chia sẻ mã này.',
  mfaChallengeSms: '{{code}} là mã xác minh của bạn. Đừng chia sẻ mã này.',
};
