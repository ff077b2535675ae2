// The built-in consent page: one accessible HTML form (labelled, keyboard-first, readable without
// CSS or scripts) that names the app, the account and each permission, and posts the decision.
// The host replaces it with its own page through `identityProvider.consentUrl`.
import type { OAuthClientRecord, UserRecord } from '../../adapters/types';
import type { PendingConsent } from './authorize';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function consentPage(options: {
  client: OAuthClientRecord;
  user: UserRecord;
  pending: PendingConsent;
  handle: string;
  decisionUrl: string;
  scopeDescriptions: Readonly<Record<string, string>>;
  projectName: string;
}): string {
  const { client, user, pending, handle, decisionUrl, scopeDescriptions, projectName } = options;
  const app = escapeHtml(client.name);
  const host = (() => {
    try {
      return new URL(pending.request.redirectUri).host;
    } catch {
      return pending.request.redirectUri;
    }
  })();
  const items = pending.request.scopes.map((scope) => `<li>${escapeHtml(scopeDescriptions[scope] ?? scope)} <code>${escapeHtml(scope)}</code></li>`);
  for (const resource of pending.request.resources) items.push(`<li>Use your account at <code>${escapeHtml(resource)}</code></li>`);
  for (const detail of pending.request.authorizationDetails ?? []) items.push(`<li>Details: <code>${escapeHtml(JSON.stringify(detail))}</code></li>`);
  const list = items.length ? `<ul>${items.join('')}</ul>` : '<p>Know that you use this account.</p>';
  const account = escapeHtml(user.email || user.phone || user.name || user.id);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Allow ${app} to use your ${escapeHtml(projectName)} account?</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f4f7; color: #1b1b1f; }
  main { max-width: 28rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 12px; box-shadow: 0 1px 4px #0002; }
  h1 { font-size: 1.3rem; margin-top: 0; }
  code { font-size: .85em; color: #555; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { flex: 1; font: inherit; padding: .7rem; border-radius: 8px; border: 1px solid #888; background: #fff; cursor: pointer; }
  button[value=approve] { background: #fd366e; border-color: #fd366e; color: #fff; font-weight: 600; }
  button:focus-visible { outline: 3px solid #1b1b1f; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1 id="title">Allow ${app} to use your account?</h1>
<p>Signed in as <strong>${account}</strong>. ${app} will be sent back to <strong>${escapeHtml(host)}</strong>${client.clientUri ? ` (<a href="${escapeHtml(client.clientUri)}" rel="noopener noreferrer">${escapeHtml(client.clientUri)}</a>)` : ''}.</p>
<h2 id="permissions" style="font-size:1rem">It asks to:</h2>
<div aria-labelledby="permissions">${list}</div>
<form method="post" action="${escapeHtml(decisionUrl)}" aria-labelledby="title">
<input type="hidden" name="request" value="${escapeHtml(handle)}">
<div class="actions">
<button type="submit" name="decision" value="deny">Deny</button>
<button type="submit" name="decision" value="approve" autofocus>Allow</button>
</div>
</form>
<p><small>You can revoke this at any time under “Connected apps”.</small></p>
</main>
</body>
</html>
`;
}
