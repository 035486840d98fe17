import type { FastifyInstance } from 'fastify';

/**
 * The page an invitee opens: `/invite#poi_…`. The token travels in the URL fragment, which
 * browsers never send, so it reaches neither the server's access log nor a proxy's; the
 * form posts it with the chosen password as JSON to `POST /api/invites/accept`. No
 * inline handlers and no third-party code: the page is allowed only its own script.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Accept your PromptOps invite</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; }
  button { margin-top: 1.5rem; padding: .5rem 1.5rem; font: inherit; }
  #result { margin-top: 1.5rem; }
  .error { color: #a00; }
  .ok { color: #060; }
</style>
</head>
<body>
<h1>Accept your PromptOps invite</h1>
<p>Choose the password for your new account. It must be at least 12 characters and hard to guess.</p>
<form id="accept" autocomplete="on">
  <label for="token">Invite token</label>
  <input id="token" name="token" autocomplete="off" spellcheck="false" required>
  <label for="password">New password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required>
  <button type="submit">Create my account</button>
</form>
<p id="result" role="status"></p>
<script src="/invite.js"></script>
</body>
</html>
`;

const SCRIPT = `'use strict';
(function () {
  var form = document.getElementById('accept');
  var token = document.getElementById('token');
  var password = document.getElementById('password');
  var result = document.getElementById('result');
  if (location.hash.length > 1) {
    token.value = decodeURIComponent(location.hash.slice(1));
    // Out of the address bar and history once read.
    history.replaceState(null, '', location.pathname);
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    result.className = '';
    result.textContent = 'Creating your account…';
    fetch('/api/invites/accept', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: token.value.trim(), password: password.value }),
    })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (r) {
        if (r.ok) {
          result.className = 'ok';
          result.textContent = 'Your account ' + r.body.user.username +
            ' is ready. Sign in from VS Code or with: promptops login --username ' + r.body.user.username;
          form.hidden = true;
        } else {
          result.className = 'error';
          result.textContent = (r.body && r.body.error && r.body.error.message) || 'The invite could not be accepted.';
        }
      })
      .catch(function () {
        result.className = 'error';
        result.textContent = 'The server could not be reached; try again.';
      });
  });
})();
`;

const HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** `GET /invite` and its script: public, static, the same for everyone. */
export function registerInvitePage(app: FastifyInstance): void {
  app.get(
    '/invite',
    { config: { access: 'public', summary: 'The page where an invitee accepts an invite (`/invite#<token>`).' } },
    async (_request, reply) => reply.headers(HEADERS).type('text/html; charset=utf-8').send(PAGE),
  );
  app.get(
    '/invite.js',
    { config: { access: 'public', summary: 'The invite page’s script.' } },
    async (_request, reply) => reply.headers(HEADERS).type('text/javascript; charset=utf-8').send(SCRIPT),
  );
}
