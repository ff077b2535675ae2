// The Model Context Protocol TypeScript SDK against a small MCP server built on the host app and
// protected by `requireAccessToken`: the SDK's own client auth flow (a 401 naming the protected-
// resource metadata, discovery of the authorization server, dynamic registration or a Client ID
// Metadata Document, PKCE, the token with the resource as audience) completes headlessly, with
// the user's consent given in the "browser", and then calls a tool as that user.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { testRouter, PASSWORD } from '../helpers/test-instance';
import { cookieClient28, uniqueEmail } from '../helpers/sdk';
import { connectAndCall, memoryProvider, MCP_CALLBACK as CALLBACK } from '../helpers/mcp-client';
import type { AccountRouter, AccountRouterOptions } from '../../lib';

type ToolExtra = { authInfo?: { clientId: string; scopes: string[]; extra?: Record<string, unknown> } };
interface McpServerLike {
  registerTool(name: string, config: { description: string }, cb: (extra: ToolExtra) => Promise<unknown>): void;
  connect(transport: unknown): Promise<void>;
}
interface ServerTransportLike {
  close(): Promise<void>;
  handleRequest(req: unknown, res: unknown, body: unknown): Promise<void>;
}
// The SDK's server half through its `exports` map (see test/helpers/mcp-client.ts for why untyped).
const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js') as { McpServer: new (info: { name: string; version: string }) => McpServerLike };
const { StreamableHTTPServerTransport } = require('@modelcontextprotocol/sdk/server/streamableHttp.js') as {
  StreamableHTTPServerTransport: new (options: { sessionIdGenerator: undefined }) => ServerTransportLike;
};

interface Host {
  origin: string;
  accounts: AccountRouter;
  close(): Promise<void>;
}

/** The host app: the router at /v1, the discovery documents at the root, and /mcp behind requireAccessToken. */
async function startHost(identityProvider: AccountRouterOptions['identityProvider']): Promise<Host> {
  const accounts = testRouter({ identityProvider });
  const app = express();
  app.use('/v1', accounts);
  app.use(accounts.wellKnown());
  app.use(accounts.protectedResource({ resource: '/mcp', scopes: ['notes:read'], name: 'Notes MCP' }));
  app.post('/mcp', express.json(), accounts.requireAccessToken({ resource: '/mcp', scopes: ['notes:read'] }), async (req, res) => {
    const mcp = new McpServer({ name: 'notes', version: '1.0.0' });
    mcp.registerTool('whoami', { description: 'The signed-in user' }, async (extra: ToolExtra) => ({
      content: [{ type: 'text', text: JSON.stringify({ userId: extra.authInfo?.extra?.userId, clientId: extra.authInfo?.clientId, scopes: extra.authInfo?.scopes }) }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    await mcp.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  await accounts.ready();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    accounts,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await accounts.close();
    },
  };
}

async function signedInCookie(endpoint: string): Promise<string> {
  const sdk = cookieClient28(endpoint);
  const email = uniqueEmail();
  await sdk.account.create({ userId: 'unique()', email, password: PASSWORD });
  await sdk.account.createEmailPasswordSession({ email, password: PASSWORD });
  return [...sdk.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

it('MCP SDK: 401 → protected-resource metadata → discovery → dynamic registration → PKCE → token → tool call', async () => {
  const host = await startHost({ dynamicRegistration: true, scopes: { 'notes:read': 'Read your notes' } });
  try {
    const cookie = await signedInCookie(`${host.origin}/v1`);
    const { provider, state } = memoryProvider(cookie);
    const answer = await connectAndCall(`${host.origin}/mcp`, provider, state);
    expect(state.consentShown).toBe(true);
    expect(answer.scopes).toEqual(['notes:read']);
    expect(answer.clientId).toBe(state.client!.client_id);
    expect(typeof answer.userId).toBe('string');
    // The token is bound to the MCP server as its audience (RFC 8707).
    const [, payload] = state.tokens!.access_token.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString()).aud).toBe(`${host.origin}/mcp`);
  } finally {
    await host.close();
  }
});

it('MCP SDK: a Client ID Metadata Document instead of registration', async () => {
  const documentUrl = 'https://agent.example/oauth/client.json';
  let fetched = 0;
  const documentFetch = (async (input: string | URL) => {
    fetched++;
    expect(String(input)).toBe(documentUrl);
    const document = { client_id: documentUrl, client_name: 'Agent from a document', redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none' };
    return new Response(JSON.stringify(document), { headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const host = await startHost({ scopes: { 'notes:read': 'Read your notes' }, clientMetadataDocuments: { fetch: documentFetch } });
  try {
    const cookie = await signedInCookie(`${host.origin}/v1`);
    const { provider, state } = memoryProvider(cookie, documentUrl);
    const answer = await connectAndCall(`${host.origin}/mcp`, provider, state);
    expect(answer.clientId).toBe(documentUrl);
    expect(fetched).toBe(1);
  } finally {
    await host.close();
  }
});
