// `npm start`: runs the example app until interrupted.
import { configFromEnv, createExampleApp } from './app';

const config = configFromEnv();
const { app, accounts } = createExampleApp(config);
accounts
  .ready()
  .then(() => {
    const server = app.listen(config.port, config.host, () => {
      console.log(`account-router example app on http://${config.host}:${config.port}/ — API at ${config.publicUrl}`);
      console.log(`storage: ${config.databaseUrl ? 'PostgreSQL' : `SQLite ${config.database}`} · project: ${config.projectId}`);
    });
    const stop = () => server.close(() => accounts.close().then(() => process.exit(0)));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })
  .catch((error: unknown) => {
    console.error('account-router example app failed to start:', error);
    process.exit(1);
  });
