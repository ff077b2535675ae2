// Indonesian (Anda).
import type { Translation } from '../translation';

export const id: Translation = {
  direction: 'ltr',
  common: {
    greeting: 'Halo{{#user}} {{user}}{{/user}},',
    openLink: 'Atau buka tautan ini:',
    phrase: 'Frasa keamanan: {{phrase}}',
    phraseHint: 'Lanjutkan hanya jika frasa ini sama dengan frasa yang ditampilkan di tempat Anda meminta untuk masuk.',
    requestedFrom: 'Permintaan masuk ini berasal dari {{ip}}. Jika ini bukan Anda, abaikan saja pesan ini.',
    unknown: 'Tidak diketahui',
  },
  emailVerification: {
    subject: 'Verifikasi Akun {{project}}',
    lead: 'Buka tautan ini untuk memverifikasi alamat email Anda:',
    button: 'Verifikasi alamat email',
    after: 'Tautan ini berlaku selama {{validity}}. Jika Anda tidak meminta verifikasi alamat ini, abaikan saja pesan ini.',
  },
  recovery: {
    subject: 'Atur Ulang Kata Sandi {{project}}',
    lead: 'Buka tautan ini untuk mengatur ulang kata sandi {{project}} Anda:',
    button: 'Atur ulang kata sandi',
    after: 'Tautan ini berlaku selama {{validity}}. Jika Anda tidak meminta pengaturan ulang kata sandi, abaikan saja pesan ini.',
  },
  magicUrl: {
    subject: 'Masuk ke {{project}}',
    lead: 'Buka tautan ini untuk masuk ke {{project}}:',
    button: 'Masuk',
    after: 'Tautan ini berlaku selama {{validity}}.',
  },
  emailOtp: {
    subject: 'Kode Masuk {{project}}',
    lead: 'Masukkan kode ini untuk masuk ke {{project}}:',
    after: 'Kode ini berlaku selama {{validity}}.',
  },
  emailVerificationOtp: {
    subject: 'Kode Verifikasi Akun {{project}}',
    lead: 'Masukkan kode ini untuk memverifikasi alamat email Anda:',
    after: 'Kode ini berlaku selama {{validity}}. Jika Anda tidak meminta verifikasi alamat ini, abaikan saja pesan ini.',
  },
  recoveryOtp: {
    subject: 'Kode Atur Ulang Kata Sandi {{project}}',
    lead: 'Masukkan kode ini untuk mengatur ulang kata sandi {{project}} Anda:',
    after: 'Kode ini berlaku selama {{validity}}. Jika Anda tidak meminta pengaturan ulang kata sandi, abaikan saja pesan ini.',
  },
  mfaChallenge: {
    subject: 'Kode Verifikasi {{project}}',
    lead: 'Masukkan kode ini untuk memastikan bahwa ini memang Anda:',
    after: 'Kode ini berlaku selama {{validity}}. Jika Anda tidak mencoba masuk, ubah kata sandi Anda.',
  },
  sessionAlert: {
    subject: 'Peringatan keamanan: sesi baru di akun {{project}} Anda',
    lead: 'Ada aktivitas masuk baru ke akun {{project}} Anda.',
    time: 'Waktu: {{time}}',
    device: 'Perangkat: {{device}}',
    ip: 'Alamat IP: {{ip}}',
    country: 'Negara: {{country}}',
    after: 'Jika ini Anda, tidak ada yang perlu dilakukan. Jika bukan, ubah kata sandi Anda dan keluar dari sesi lainnya.',
  },
  phoneOtp: '{{code}} adalah kode masuk Anda. Jangan berikan kepada siapa pun.',
  phoneVerification: '{{code}} adalah kode verifikasi nomor telepon Anda. Jangan berikan kepada siapa pun.',
  mfaChallengeSms: '{{code}} adalah kode verifikasi Anda. Jangan berikan kepada siapa pun.',
};
