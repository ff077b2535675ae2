// The account-router demo: one page on the official appwrite web SDK (global `Appwrite`, served at /appwrite.js).
/* global Appwrite, DEMO */
'use strict';
const settings = window.DEMO || { projectId: 'default', providers: [], outbox: false };
const client = new Appwrite.Client().setEndpoint(location.origin + '/v1').setProject(settings.projectId);
const account = new Appwrite.Account(client);
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let mfaDone = null; // what to run after a second factor was given

function status(text) { $('status').textContent = text || ''; $('error').hidden = true; }
function showError(error) {
  // Words, never raw JSON: the SDK's AppwriteException carries the server's message.
  $('error').textContent = (error && error.message) || String(error);
  $('error').hidden = false;
}
function formValues(form) { return Object.fromEntries(new FormData(form).entries()); }
function clearQuery() { history.replaceState(null, '', location.pathname); }
function here(query) { return location.origin + '/?' + query; }
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');

/** Runs an SDK call; errors are shown in words, a pending second factor opens the challenge. */
async function run(fn, after) {
  try {
    status('');
    await fn();
    if (after) await after();
  } catch (error) {
    if (error && error.type === 'user_more_factors_required') return openChallenge(after);
    showError(error);
  }
}

function on(id, event, handler) {
  $(id).addEventListener(event, (e) => { if (event === 'submit') e.preventDefault(); handler(e); });
}

async function refresh() {
  let user;
  try {
    user = await account.get();
  } catch (error) {
    if (error && error.type === 'user_more_factors_required') return openChallenge(refresh);
    $('signed-in').hidden = true;
    $('signed-out').hidden = false;
    return;
  }
  $('mfa-challenge').hidden = true;
  $('signed-out').hidden = true;
  $('signed-in').hidden = false;
  $('acct-email').textContent = user.email || '(anonymous — no email)';
  $('acct-verified').textContent = user.email ? (user.emailVerification ? 'verified' : 'not verified') : '';
  $('acct-verified').className = 'tag';
  $('verify').hidden = !user.email || user.emailVerification;
  $('acct-id').textContent = user.$id;
  $('name-form').elements.name.value = user.name || '';
  $('upgrade-form').hidden = Boolean(user.email);
  $('prefs-form').elements.prefs.value = JSON.stringify(user.prefs || {}, null, 2);
  $('cookie-note').textContent = document.cookie.includes('a_session_')
    ? 'a_session_ cookie is visible to this page (unexpected)'
    : 'session cookie: HttpOnly — not readable by this page';
  $('mfa-state').textContent = user.mfa ? 'Two-step sign-in is on.' : 'Two-step sign-in is off.';
  // Sent here to sign in by an app using "Sign in with" this account: go back to its authorization request.
  const returnTo = params.get('returnTo');
  if (returnTo && returnTo.startsWith(location.origin + '/v1/oauth2/authorize?')) return void location.assign(returnTo);
  await Promise.all([renderSessions(), renderLogs(), renderConsents()]);
}

// The installed web SDK predates the consent routes (appwrite@27+), so they are called directly.
async function consentsApi(path, method = 'GET') {
  const res = await fetch(location.origin + '/v1/account/consents' + path, { method, credentials: 'include', headers: { 'X-Appwrite-Project': settings.projectId } });
  if (!res.ok) throw new Error((await res.json()).message);
  return res.status === 204 ? null : res.json();
}

async function renderConsents() {
  const { consents } = await consentsApi('');
  const body = $('consents');
  body.textContent = '';
  for (const c of consents) {
    const row = body.insertRow();
    row.insertCell().textContent = c.appId || c.cimdUrl;
    row.insertCell().textContent = c.scopes.join(' ') + (c.resources.length ? ' · ' + c.resources.join(', ') : '');
    row.insertCell().textContent = when(c.$createdAt);
    const button = document.createElement('button');
    button.textContent = 'Revoke';
    button.addEventListener('click', () => run(() => consentsApi('/' + encodeURIComponent(c.$id), 'DELETE'), renderConsents));
    row.insertCell().append(button);
  }
}

async function renderSessions() {
  const { sessions } = await account.listSessions();
  const body = $('sessions');
  body.textContent = '';
  for (const s of sessions) {
    const row = body.insertRow();
    row.dataset.sessionId = s.$id;
    if (s.current) row.className = 'current';
    row.insertCell().textContent = [s.clientName, s.clientVersion, s.osName && 'on ' + s.osName].filter(Boolean).join(' ') + (s.current ? ' (this device)' : '');
    row.insertCell().textContent = [s.ip, s.countryName].filter(Boolean).join(' · ');
    row.insertCell().textContent = when(s.$createdAt);
    const button = document.createElement('button');
    button.textContent = s.current ? 'Sign out this device' : 'Sign out';
    button.addEventListener('click', () => run(() => account.deleteSession(s.current ? 'current' : s.$id), s.current ? refresh : renderSessions));
    row.insertCell().append(button);
  }
}

async function renderLogs() {
  const { logs } = await account.listLogs();
  const body = $('logs');
  body.textContent = '';
  for (const log of logs) {
    const row = body.insertRow();
    row.insertCell().textContent = when(log.time);
    row.insertCell().textContent = log.event;
    row.insertCell().textContent = [log.clientName, log.osName].filter(Boolean).join(' on ');
    row.insertCell().textContent = log.ip;
  }
}

// ---- second factor
async function openChallenge(after) {
  mfaDone = after || refresh;
  $('signed-out').hidden = true;
  $('signed-in').hidden = true;
  $('mfa-challenge').hidden = false;
  const select = $('mfa-challenge-form').elements.factor;
  try {
    const factors = await account.listMfaFactors();
    const names = { totp: 'Authenticator app', email: 'Email code', phone: 'SMS code', recoveryCode: 'Recovery code' };
    const values = { totp: 'totp', email: 'email', phone: 'phone', recoveryCode: 'recoverycode' };
    select.textContent = '';
    for (const key of Object.keys(names)) {
      if (factors[key]) select.append(new Option(names[key], values[key]));
    }
  } catch (error) { showError(error); }
}
let challengeId = null;
on('mfa-send', 'click', () => run(async () => {
  const challenge = await account.createMfaChallenge($('mfa-challenge-form').elements.factor.value);
  challengeId = challenge.$id;
  status('Challenge started — enter the code.');
}));
on('mfa-challenge-form', 'submit', (e) => run(async () => {
  if (!challengeId) challengeId = (await account.createMfaChallenge(e.target.elements.factor.value)).$id;
  await account.updateMfaChallenge(challengeId, e.target.elements.code.value.trim());
  challengeId = null;
  status('Second factor accepted.');
}, () => (mfaDone || refresh)()));

// ---- signed out
on('signup-form', 'submit', (e) => run(async () => {
  const v = formValues(e.target);
  await account.create(Appwrite.ID.unique(), v.email, v.password, v.name || undefined);
  await account.createEmailPasswordSession(v.email, v.password);
  e.target.reset();
  status('Account created — you are signed in.');
}, refresh));
on('signin-form', 'submit', (e) => run(async () => {
  const v = formValues(e.target);
  await account.createEmailPasswordSession(v.email, v.password);
  e.target.reset();
  status('Signed in.');
}, refresh));
on('anonymous', 'click', () => run(async () => { await account.createAnonymousSession(); status('Signed in anonymously.'); }, refresh));
let otpUserId = null;
on('otp-form', 'submit', (e) => run(async () => {
  const token = await account.createEmailToken(Appwrite.ID.unique(), formValues(e.target).email);
  otpUserId = token.userId;
  $('otp-code-form').hidden = false;
  status('A 6-digit code is on its way' + (settings.outbox ? ' (see the dev outbox).' : '.'));
}));
on('otp-code-form', 'submit', (e) => run(async () => {
  await account.createSession(otpUserId, formValues(e.target).code.trim());
  e.target.reset();
  e.target.hidden = true;
  status('Signed in with the code.');
}, refresh));
on('magic-form', 'submit', (e) => run(async () => {
  await account.createMagicURLToken(Appwrite.ID.unique(), formValues(e.target).email, here('magic=1'));
  status('A sign-in link is on its way' + (settings.outbox ? ' (see the dev outbox).' : '.'));
}));
on('forgot-form', 'submit', (e) => run(async () => {
  await account.createRecovery(formValues(e.target).email, here('recovery=1'));
  status('If the address has an account, a recovery link is on its way.');
}));
for (const provider of settings.providers || []) {
  const button = document.createElement('button');
  button.textContent = 'Sign in with ' + provider;
  button.dataset.provider = provider;
  button.addEventListener('click', () => run(() => account.createOAuth2Session(provider, here('oauth=success'), here('oauth=failure'))));
  $('oauth').append(button, ' ');
}

// ---- signed in
on('name-form', 'submit', (e) => run(async () => { await account.updateName(formValues(e.target).name); status('Name saved.'); }, refresh));
on('prefs-form', 'submit', (e) => run(async () => {
  let prefs;
  try { prefs = JSON.parse(formValues(e.target).prefs || '{}'); } catch { throw new Error('Preferences must be valid JSON.'); }
  await account.updatePrefs(prefs);
  status('Preferences saved.');
}, refresh));
on('upgrade-form', 'submit', (e) => run(async () => {
  const v = formValues(e.target);
  await account.updateEmail(v.email, v.password);
  status('Your account now has an email and password.');
}, refresh));
on('verify', 'click', () => run(async () => {
  await account.createVerification(here('verify=1'));
  status('Verification link sent' + (settings.outbox ? ' (see the dev outbox).' : '.'));
}));
on('signout', 'click', () => run(async () => { await account.deleteSession('current'); status('Signed out.'); }, refresh));
on('signout-all', 'click', () => run(async () => { await account.deleteSessions(); status('Signed out on all devices.'); }, refresh));
on('mfa-add', 'click', () => run(async () => {
  const { uri } = await account.createMfaAuthenticator(Appwrite.AuthenticatorType.Totp);
  $('mfa-uri').textContent = uri;
  const qr = qrcode(0, 'M');
  qr.addData(uri);
  qr.make();
  $('mfa-qr').innerHTML = qr.createSvgTag({ cellSize: 4, margin: 2, scalable: false });
  $('mfa-setup').hidden = false;
}));
on('mfa-confirm-form', 'submit', (e) => run(async () => {
  await account.updateMfaAuthenticator(Appwrite.AuthenticatorType.Totp, formValues(e.target).code.trim());
  try {
    const { recoveryCodes } = await account.createMfaRecoveryCodes();
    $('mfa-codes-list').textContent = recoveryCodes.join('\n');
    $('mfa-codes').hidden = false;
  } catch (error) { if (!error || error.code !== 409) throw error; }
  await account.updateMFA(true);
  $('mfa-setup').hidden = true;
  status('Two-step sign-in is on.');
}, refresh));

// ---- links from mails: ?magic=1 / ?recovery=1 / ?verify=1 with userId and secret; OAuth2 returns
async function start() {
  $('outbox-link').hidden = !settings.outbox;
  const userId = params.get('userId');
  const secret = params.get('secret');
  if (params.get('oauth') === 'failure') { clearQuery(); showError(new Error('OAuth2 sign-in failed or was cancelled.')); }
  if (params.has('recovery') && userId && secret) {
    $('recovery').hidden = false;
    on('recovery-form', 'submit', (e) => run(async () => {
      await account.updateRecovery(userId, secret, formValues(e.target).password);
      $('recovery').hidden = true;
      clearQuery();
      status('Password changed — sign in with the new one.');
    }, refresh));
  } else if (params.has('verify') && userId && secret) {
    clearQuery();
    await run(async () => { await account.updateVerification(userId, secret); status('Email verified.'); });
  } else if (userId && secret) {
    clearQuery();
    await run(async () => { await account.createSession(userId, secret); status('Signed in with the link.'); });
  }
  await refresh();
}
start();
