// A standards-strict OpenID provider standing in for Okta in the tests (npm oidc-provider):
// authorization code flow with PKCE required, pushed authorization requests, RP-initiated logout,
// and a `groups` claim in the ID token, as Okta's groups claim filter puts it there.
// Started by SoxAuto.Tests/Fixtures/OidcProvider.cs with its settings in the environment; prints
// "listening" once it accepts requests.
import http from 'node:http';
import Provider from 'oidc-provider';

// Ends with the test process that started it (its standard input closes), even a killed one.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const password = process.env.OIDC_PASSWORD;
const people = JSON.parse(process.env.OIDC_PEOPLE); // { id: { name, groups: [] } }

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: process.env.OIDC_REDIRECT_URIS.split(' '),
    post_logout_redirect_uris: process.env.OIDC_POST_LOGOUT_REDIRECT_URIS.split(' '),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    pushedAuthorizationRequests: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = `<!DOCTYPE html><html><head><title>Sign out · Test provider</title></head><body>
${form}<h1>Sign out of the test provider?</h1>
<button id="confirm-sign-out" type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button></body></html>`;
      },
    },
  },
  scopes: ['openid', 'offline_access', 'profile', 'email', 'groups'],
  ttl: { IdToken: Number(process.env.OIDC_ID_TOKEN_TTL || 3600) },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'], groups: ['groups'] },
  conformIdTokenClaims: false, // groups (and name) in the ID token, as Okta does
  findAccount: async (ctx, sub) => people[sub] && {
    accountId: sub,
    claims: async () => ({ sub, name: people[sub].name, preferred_username: `${sub}@soxauto.test`, email: `${sub}@soxauto.test`, groups: people[sub].groups }),
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['soxauto-test-provider-cookie-key'] },
});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const loginPage = (uid, error) => `<!DOCTYPE html><html><head><title>Sign in · Test provider</title></head><body>
<h1>Test provider sign-in</h1>${error ? `<p id="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<label>Username <input id="username" name="username" autocomplete="username"></label>
<label>Password <input id="password" name="password" type="password"></label>
<button id="sign-in" type="submit">Sign in</button>
</form></body></html>`;

async function body(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid));
      return;
    }
    const form = await body(req);
    const who = form.get('username');
    if (!people[who] || form.get('password') !== password) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid, 'Unknown username or wrong password.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: who } }, { mergeWithLastSubmission: false });
    return;
  }
  // Consent: SoxAuto is a first-party app, so everything it asks for is granted without a page.
  const { prompt: { details: missing }, params, session } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
    grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

// Okta issues a refresh token for the offline_access scope without prompt=consent; oidc-provider follows the letter of
// OpenID Connect Core and drops offline_access unless the request says prompt=consent. So a pushed authorization
// request for offline_access gets prompt=consent here (consent is granted without a page anyway, see interaction).
async function asOkta(req) {
  if (req.method !== 'POST' || !req.url.startsWith('/request')) return;
  const form = await body(req);
  if ((form.get('scope') ?? '').split(' ').includes('offline_access') && !form.has('prompt')) form.set('prompt', 'consent');
  req.body = form.toString(); // read by oidc-provider once the stream is consumed
}

const handle = provider.callback();
http.createServer(async (req, res) => {
  const match = /^\/interaction\/([^/?]+)/.exec(req.url);
  if (!match) {
    await asOkta(req);
    return handle(req, res);
  }
  try {
    await interaction(req, res, match[1]);
  } catch (e) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end(`Sign-in failed: ${e.message}`);
  }
}).listen(port, '127.0.0.1', () => console.log('listening'));
