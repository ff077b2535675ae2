// The example app's MCP server: `/mcp` (streamable HTTP, stateless) with one tool, `whoami`, for
// agents that signed in with this app's accounts through its authorization server. The MCP
// TypeScript SDK is a development dependency: `npm install` (the README's set-up) installs it, an
// install without dev dependencies does not, and then the app serves everything else and says at
// start-up that `/mcp` is off, rather than failing or answering MCP clients with a half protocol.
import express from 'express';
import type { AccountRouter } from '../lib';

/** The scopes an agent needs for `/mcp`: `whoami` answers with the account's name and email. */
export const MCP_SCOPES = ['profile', 'email'];

// Only the shapes used here: the SDK's types sit behind its `exports` map, which this project's
// node10 module resolution cannot see.
interface McpServerLike {
  registerTool(name: string, config: { description: string }, cb: () => Promise<unknown>): void;
  connect(transport: unknown): Promise<void>;
}
interface TransportLike {
  close(): Promise<void>;
  handleRequest(req: unknown, res: unknown, body: unknown): Promise<void>;
}
interface McpSdk {
  McpServer: new (info: { name: string; version: string }) => McpServerLike;
  StreamableHTTPServerTransport: new (options: { sessionIdGenerator: undefined }) => TransportLike;
}

const SDK_MODULES = ['@modelcontextprotocol/sdk/server/mcp.js', '@modelcontextprotocol/sdk/server/streamableHttp.js'];

/**
 * Whether the SDK is installed, found without loading it: loaded, the SDK and its schema library
 * keep about 30 MiB resident, which an app that never sees an MCP request should not carry.
 */
export function mcpSdkInstalled(): boolean {
  try {
    for (const name of SDK_MODULES) require.resolve(name);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return false;
    throw error;
  }
}

let sdk: McpSdk | undefined;
/** The SDK's server half, loaded at the first MCP request. */
function loadMcpSdk(): McpSdk {
  if (sdk) return sdk;
  const [{ McpServer }, { StreamableHTTPServerTransport }] = SDK_MODULES.map((name) => require(name)) as [Pick<McpSdk, 'McpServer'>, Pick<McpSdk, 'StreamableHTTPServerTransport'>];
  return (sdk = { McpServer, StreamableHTTPServerTransport });
}

/** The MCP endpoint's URL: `/mcp` at the origin of the public URL, the audience its tokens must name. */
export function mcpResource(publicUrl: string): string {
  return new URL('/mcp', publicUrl).href;
}

/**
 * Mounts the RFC 9728 metadata at the origin root and `/mcp` behind `requireAccessToken`; returns
 * false (mounting nothing) when the SDK is not installed.
 */
export function mountMcp(app: express.Express, accounts: AccountRouter, publicUrl: string): boolean {
  if (!mcpSdkInstalled()) return false;
  const resource = mcpResource(publicUrl);
  app.use(accounts.protectedResource({ resource, scopes: MCP_SCOPES, name: 'account-router example MCP server' }));
  app.all('/mcp', accounts.requireAccessToken({ resource, scopes: MCP_SCOPES }), express.json({ limit: '64kb' }), async (req, res, next) => {
    // Stateless: no session to stream to (GET) or to end (DELETE), as the MCP spec allows.
    if (req.method !== 'POST') return void res.set('Allow', 'POST').status(405).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null });
    try {
      const userId = req.accessToken!.userId;
      const { McpServer, StreamableHTTPServerTransport } = loadMcpSdk();
      const mcp = new McpServer({ name: 'account-router-example', version: '1.0.0' });
      mcp.registerTool('whoami', { description: 'The name and email of the account the agent acts for' }, async () => {
        const user = await accounts.users.get(userId);
        return { content: [{ type: 'text', text: JSON.stringify({ id: user.id, name: user.name, email: user.email }) }] };
      });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => void transport.close());
      await mcp.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (error) {
      next(error);
    }
  });
  return true;
}
