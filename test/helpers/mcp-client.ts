// The MCP TypeScript SDK's client half, as an agent runs it: an in-memory OAuth provider whose
// "browser" is a fetch carrying the user's session cookie (so consent is given headlessly), and
// the SDK's flow — connect (401 → discovery → registration → PKCE → redirect), finish with the
// code, connect again, call a tool.
import { browse } from './openid-rp';

// The SDK's CommonJS build, reached through its `exports` map at run time; this tsconfig resolves
// types the node10 way, which cannot see them, so the few shapes used here are written out.
export type OAuthTokens = { access_token: string; token_type: string; refresh_token?: string };
type OAuthClientInformationMixed = { client_id: string };
type OAuthClientMetadata = Record<string, unknown>;
interface OAuthClientProvider {
  readonly redirectUrl: string;
  clientMetadataUrl?: string;
  readonly clientMetadata: OAuthClientMetadata;
  clientInformation(): OAuthClientInformationMixed | undefined;
  saveClientInformation(info: OAuthClientInformationMixed): void;
  tokens(): OAuthTokens | undefined;
  saveTokens(tokens: OAuthTokens): void;
  saveCodeVerifier(verifier: string): void;
  codeVerifier(): string;
  redirectToAuthorization(url: URL): Promise<void>;
}
interface ClientTransportLike {
  finishAuth(code: string): Promise<void>;
}
interface ClientLike {
  connect(transport: ClientTransportLike): Promise<void>;
  callTool(call: { name: string; arguments: Record<string, unknown> }): Promise<{ content: unknown }>;
  close(): Promise<void>;
}
const { Client } = require('@modelcontextprotocol/sdk/client/index.js') as { Client: new (info: { name: string; version: string }) => ClientLike };
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js') as {
  StreamableHTTPClientTransport: new (url: URL, options: { authProvider: OAuthClientProvider }) => ClientTransportLike;
};
const { UnauthorizedError } = require('@modelcontextprotocol/sdk/client/auth.js') as { UnauthorizedError: new () => Error };

export const MCP_CALLBACK = 'http://127.0.0.1:9/mcp-callback';

/** What the agent learnt on the way: its registration, tokens, and what the "browser" saw. */
export interface AgentState {
  client?: OAuthClientInformationMixed;
  tokens?: OAuthTokens;
  verifier?: string;
  code?: string | null;
  consentShown?: boolean;
}

/** An in-memory OAuthClientProvider; with `clientMetadataUrl`, the agent identifies by that document. */
export function memoryProvider(cookie: string, clientMetadataUrl?: string): { provider: OAuthClientProvider; state: AgentState } {
  const state: AgentState = {};
  const provider: OAuthClientProvider = {
    get redirectUrl() {
      return MCP_CALLBACK;
    },
    clientMetadataUrl,
    get clientMetadata(): OAuthClientMetadata {
      return { client_name: 'Test agent', redirect_uris: [MCP_CALLBACK], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
    },
    clientInformation: () => state.client,
    saveClientInformation: (info) => void (state.client = info),
    tokens: () => state.tokens,
    saveTokens: (tokens) => void (state.tokens = tokens),
    saveCodeVerifier: (verifier) => void (state.verifier = verifier),
    codeVerifier: () => state.verifier!,
    async redirectToAuthorization(url: URL) {
      const browser = await browse(url.href, cookie);
      state.consentShown = browser.consentShown;
      state.code = new URL(browser.location).searchParams.get('code');
    },
  };
  return { provider, state };
}

/**
 * The SDK's flow against `mcpUrl`: the first connect must be refused for want of a token (and
 * send the "browser" through consent), then the code is exchanged and `tool` called; returns the
 * tool's first text content parsed as JSON.
 */
export async function connectAndCall(mcpUrl: string, provider: OAuthClientProvider, state: AgentState, tool = 'whoami'): Promise<Record<string, unknown>> {
  const url = new URL(mcpUrl);
  const first = new Client({ name: 'agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
  const refused = await first.connect(transport).then(
    () => null,
    (error: unknown) => error,
  );
  if (!(refused instanceof UnauthorizedError)) throw new Error(`expected the first connect to need authorization, got ${String(refused)}`);
  if (!state.code) throw new Error('the authorization request returned no code');
  await transport.finishAuth(state.code);
  const client = new Client({ name: 'agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
  const result = await client.callTool({ name: tool, arguments: {} });
  await client.close();
  return JSON.parse((result.content as { text: string }[])[0]!.text) as Record<string, unknown>;
}
