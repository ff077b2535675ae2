// The flow both consumers run: sign up, sign in, read the account, through a real port.
exports.smokeTest = async function smokeTest(app, router, blockedCode) {
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${server.address().port}/v1`;
  const post = (path, body) => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  try {
    await post('/account', { userId: 'unique()', email: 'pkg@example.com', password: 'password123' });
    const login = await post('/account/sessions/email', { email: 'pkg@example.com', password: 'password123' });
    const cookie = login.headers.getSetCookie()[0].split(';')[0];
    const me = await (await fetch(base + '/account', { headers: { cookie } })).json();
    return { email: me.email, blockedCode };
  } finally {
    server.close();
    await router.close();
  }
};
