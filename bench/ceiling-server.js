// The ceiling: the least an Express 5 + SQLite app can do for "who is this cookie?". Reads the
// `sid` cookie, looks the session up by primary key, then its user by primary key, and answers a
// small JSON user. Started by bench/run.js (IPC: {type:'ready', port} once listening).
'use strict';
const express = require('express');
const Database = require('better-sqlite3');

const { filename } = JSON.parse(process.env.BENCH_SERVER || '{}');
const db = new Database(filename);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
const getSession = db.prepare('SELECT user_id, expire FROM sessions WHERE id = ?');
const getUser = db.prepare('SELECT id, name, email FROM users WHERE id = ?');

function cookie(header, name) {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const app = express();
app.get('/v1/account', (req, res) => {
  const sid = cookie(req.headers.cookie, 'sid');
  const session = sid && getSession.get(sid);
  if (!session || session.expire <= Date.now()) return res.status(401).json({ message: 'unauthorized' });
  const user = getUser.get(session.user_id);
  if (!user) return res.status(401).json({ message: 'unauthorized' });
  res.json({ $id: user.id, name: user.name, email: user.email });
});

const server = app.listen(0, '127.0.0.1', () => process.send?.({ type: 'ready', port: server.address().port }));
function shutdown() {
  server.closeAllConnections();
  server.close();
  db.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown); // the bench died: never outlive it
