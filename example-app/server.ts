// `npm start`: runs the example app until interrupted. Whatever keeps it from serving (a busy
// port, a database it cannot open or reach, a bad option) is said in one line that names what to
// change, and the process exits with status 1, so a supervisor or a shell script sees the failure.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configFromEnv, createExampleApp, startupSummary, StartupError, whenReady, type ExampleConfig } from './app';

/** The one-line reason a listen error gives, naming the variable to change. */
function listenFailure(error: NodeJS.ErrnoException, config: ExampleConfig): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${config.port} is in use on ${config.host}; set PORT to a free port`;
    case 'EACCES':
      return `no permission to listen on port ${config.port}; set PORT to a port above 1023`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `${config.host} is not an address of this machine; set HOST`;
    default:
      return `cannot listen on ${config.host}:${config.port}: ${error.message}; check PORT and HOST`;
  }
}

function fail(message: string): never {
  console.error(`account-router example app: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const config = configFromEnv();
  const { app, accounts } = createExampleApp(config);
  await whenReady(config, accounts);
  // Listening through node:http directly: Express 5's app.listen hands a listen error to its
  // callback, where it is easy to lose, and the app would then report success.
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => fail(listenFailure(error, config)));
  const { port } = server.address() as AddressInfo;
  console.log(startupSummary({ ...config, port }).join('\n'));
  const stop = () => server.close(() => accounts.close().then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  // Bad options throw a TypeError that already names the factory and option; anything else is unexpected.
  if (error instanceof StartupError || (error instanceof TypeError && /^create\w+: /.test(error.message))) fail(error.message);
  console.error('account-router example app failed to start:', error);
  process.exit(1);
});
