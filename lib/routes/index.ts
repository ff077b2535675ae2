// The route table: every route group, in one list the router, the OpenAPI generator and the
// tests read.
import type { AnyRoute } from '../route';
import { accountRoutes } from './account';
import { jwtRoutes } from './jwt';
import { logRoutes } from './logs';
import { sessionRoutes } from './sessions';
import { tokenRoutes } from './tokens';
import { verificationRoutes } from './verification';
import { recoveryRoutes } from './recovery';
import { oauth2Routes } from './oauth2';
import { identityRoutes } from './identities';
import { mfaRoutes } from './mfa';
import { targetRoutes } from './targets';
import { userImpersonationRoutes } from './users-impersonation';
import { idpRoutes } from './idp';
import { consentRoutes } from './consents';
import { userRoutes } from './users';
import { userUpdateRoutes } from './users-updates';
import { userSessionRoutes } from './users-sessions';
import { userMfaRoutes } from './users-mfa';
import { userTargetRoutes } from './users-targets';
import { appRoutes } from './apps';

export const ROUTES: readonly AnyRoute[] = [
  ...accountRoutes, ...sessionRoutes, ...jwtRoutes, ...logRoutes, ...tokenRoutes, ...verificationRoutes, ...recoveryRoutes, ...mfaRoutes, ...targetRoutes, ...oauth2Routes, ...identityRoutes,
  ...consentRoutes, ...userRoutes, ...userUpdateRoutes, ...userSessionRoutes, ...userMfaRoutes, ...userTargetRoutes, ...userImpersonationRoutes, ...appRoutes, ...idpRoutes,
] as unknown as AnyRoute[];
