// Arabic (Modern Standard Arabic, right to left). Mail wording uses "يُرجى" with a verbal noun
// and impersonal turns, which address the reader without choosing a gender.
import type { Translation } from '../translation';

export const ar: Translation = {
  direction: 'rtl',
  common: {
    greeting: 'مرحبًا{{#user}} {{user}}{{/user}}،',
    openLink: 'أو يمكنك فتح هذا الرابط:',
    phrase: 'عبارة الأمان: {{phrase}}',
    phraseHint: 'يُرجى المتابعة فقط إذا كانت مطابقة للعبارة المعروضة حيث طُلب تسجيل الدخول.',
    requestedFrom: 'طُلب تسجيل الدخول هذا من {{ip}}. إذا لم يكن الطلب منك، يمكنك تجاهل هذه الرسالة.',
    unknown: 'غير معروف',
  },
  emailVerification: {
    subject: 'التحقق من حسابك على {{project}}',
    lead: 'يُرجى فتح هذا الرابط للتحقق من عنوان بريدك الإلكتروني:',
    button: 'تأكيد البريد الإلكتروني',
    after: 'تنتهي صلاحية الرابط بعد {{validity}}. إذا لم يكن طلب التحقق من هذا العنوان منك، يمكنك تجاهل هذه الرسالة.',
  },
  recovery: {
    subject: 'إعادة تعيين كلمة مرور حسابك على {{project}}',
    lead: 'يُرجى فتح هذا الرابط لإعادة تعيين كلمة مرور حسابك على {{project}}:',
    button: 'إعادة تعيين كلمة المرور',
    after: 'تنتهي صلاحية الرابط بعد {{validity}}. إذا لم يكن طلب إعادة تعيين كلمة المرور منك، يمكنك تجاهل هذه الرسالة.',
  },
  magicUrl: {
    subject: 'تسجيل الدخول إلى {{project}}',
    lead: 'يُرجى فتح هذا الرابط لتسجيل الدخول إلى {{project}}:',
    button: 'تسجيل الدخول',
    after: 'تنتهي صلاحية الرابط بعد {{validity}}.',
  },
  emailOtp: {
    subject: 'رمز تسجيل الدخول إلى {{project}}',
    lead: 'يُرجى إدخال هذا الرمز لتسجيل الدخول إلى {{project}}:',
    after: 'تنتهي صلاحية الرمز بعد {{validity}}.',
  },
  emailVerificationOtp: {
    subject: 'رمز التحقق من حسابك على {{project}}',
    lead: 'يُرجى إدخال هذا الرمز للتحقق من عنوان بريدك الإلكتروني:',
    after: 'تنتهي صلاحية الرمز بعد {{validity}}. إذا لم يكن طلب التحقق من هذا العنوان منك، يمكنك تجاهل هذه الرسالة.',
  },
  recoveryOtp: {
    subject: 'رمز إعادة تعيين كلمة مرور حسابك على {{project}}',
    lead: 'يُرجى إدخال هذا الرمز لإعادة تعيين كلمة مرور حسابك على {{project}}:',
    after: 'تنتهي صلاحية الرمز بعد {{validity}}. إذا لم يكن طلب إعادة تعيين كلمة المرور منك، يمكنك تجاهل هذه الرسالة.',
  },
  mfaChallenge: {
    subject: 'رمز التحقق لحسابك على {{project}}',
    lead: 'يُرجى إدخال هذا الرمز لتأكيد هويتك:',
    after: 'تنتهي صلاحية الرمز بعد {{validity}}. إذا لم تكن محاولة تسجيل الدخول منك، فيُرجى تغيير كلمة المرور.',
  },
  sessionAlert: {
    subject: 'تنبيه أمني: جلسة جديدة في حسابك على {{project}}',
    lead: 'تم تسجيل دخول جديد إلى حسابك على {{project}}.',
    time: 'الوقت: {{time}}',
    device: 'الجهاز: {{device}}',
    ip: 'عنوان IP: {{ip}}',
    country: 'الدولة: {{country}}',
    after: 'إذا كان تسجيل الدخول منك، فلا حاجة إلى أي إجراء. وإن لم يكن، فيُرجى تغيير كلمة المرور وتسجيل الخروج من جلساتك الأخرى.',
  },
  phoneOtp: '{{code}} هو رمز تسجيل الدخول الخاص بك. لا تشاركه مع أحد.',
  phoneVerification: '{{code}} هو رمز التحقق من رقم هاتفك. لا تشاركه مع أحد.',
  mfaChallengeSms: '{{code}} هو رمز التحقق الخاص بك. لا تشاركه مع أحد.',
};
