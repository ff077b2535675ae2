// docs/errors.md from the error table (lib/errors.ts): every wire type with its status and message.
import { API_VERSION, ERRORS, type ErrorType } from '../../lib/errors';
import { code, generatedNotice, table } from './markdown';

export function renderErrors(): string {
  const types = Object.keys(ERRORS) as ErrorType[];
  return [
    generatedNotice('the error table (lib/errors.ts)'),
    '',
    '# Errors',
    '',
    "Every error is Appwrite's JSON body, with the HTTP status of its type:",
    '',
    '```json',
    `{ "message": "Invalid credentials. Please check the email and password.", "code": 401, "type": "user_invalid_credentials", "version": "${API_VERSION}" }`,
    '```',
    '',
    'The SDKs raise it as an `AppwriteException` with the same `message`, `code` and `type`. On the',
    'server, `ERRORS` (exported by `account-router`) is this table and `AccountError` the class that',
    'renders it. The message is the one below except where a route says more: a refused parameter',
    "names itself (`Param \"email\" is not optional.`, ``Invalid `password` param: …``).",
    '',
    'What every route may answer, before its own errors:',
    '',
    '- 404 `project_not_found` when the SDK names another project than the `projectId` option;',
    '- 403 `general_unknown_origin` for a `POST`, `PUT`, `PATCH` or `DELETE` from an origin that is',
    '  not allowed (see [security](security.md#the-origin-check));',
    '- 401 `general_unauthorized_scope`, `user_blocked`, `user_more_factors_required` or',
    '  `user_jwt_invalid` for a caller who may not use the route, 403 `user_jwt_and_cookie_set` for a',
    '  JWT sent together with a session;',
    '- 400 `general_bad_request` for a body that is not JSON (or a form), 413',
    '  `general_payload_too_large` above `bodyLimitBytes`, 400 `general_argument_invalid` for a',
    '  refused parameter (a JSON parameter may nest at most 100 levels);',
    '- 429 `general_rate_limit_exceeded` once a rate limit is spent;',
    '- 404 `general_route_not_found` for a path under the mount point that is no route (mounted at the',
    '  root, only `/account…` paths are answered; the rest goes on to your app);',
    '- 500 `general_unknown` for anything unexpected: logged through the `logger` option, answered',
    '  without a stack trace.',
    '',
    table(
      ['type', 'status', 'message'],
      types.map((type) => [code(type), String(ERRORS[type][0]), ERRORS[type][1]]),
    ),
    '',
  ].join('\n');
}
