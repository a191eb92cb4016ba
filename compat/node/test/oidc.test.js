// An independent OpenID Connect client, openid-client (panva), against a running monban:
// discovery, the authorization code grant with PKCE, state and nonce (signing in through
// the hosted UI's login form as a browser would), ID token validation by the library's
// own rules plus a signature check with jose against the served JWKS, userinfo, the
// refresh grant, client credentials, and monban's introspection and revocation.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';

import { Monban, STRONG_PASSWORD } from '../lib/harness.mjs';

const CALLBACK = 'http://localhost:3000/callback';

let monban;
let pool;

before(async () => {
	monban = await new Monban().start();
	pool = await setUp();
});

after(async () => {
	if (monban) {
		const { crashed, log } = await monban.stop();
		assert.equal(crashed, false, `monban exited during the run; log ${log}`);
	}
});

/** A pool with a resource server, a web client (code flow, secret), an m2m client and a user. */
async function setUp() {
	const idp = monban.idp;
	const created = await idp.call('CreateUserPool', { PoolName: monban.unique('oidc') });
	const poolId = created.UserPool.Id;
	await idp.call('CreateResourceServer', {
		UserPoolId: poolId,
		Identifier: 'api',
		Name: 'API',
		Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
	});
	const web = (await idp.call('CreateUserPoolClient', {
		UserPoolId: poolId,
		ClientName: 'web',
		GenerateSecret: true,
		ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'],
		AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows: ['code'],
		AllowedOAuthScopes: ['openid', 'email', 'profile'],
		CallbackURLs: [CALLBACK],
		SupportedIdentityProviders: ['COGNITO'],
	})).UserPoolClient;
	const m2m = (await idp.call('CreateUserPoolClient', {
		UserPoolId: poolId,
		ClientName: 'm2m',
		GenerateSecret: true,
		AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows: ['client_credentials'],
		AllowedOAuthScopes: ['api/read'],
	})).UserPoolClient;
	const username = monban.unique('alice');
	await idp.call('AdminCreateUser', {
		UserPoolId: poolId,
		Username: username,
		MessageAction: 'SUPPRESS',
		UserAttributes: [
			{ Name: 'email', Value: `${username}@example.com` },
			{ Name: 'email_verified', Value: 'true' },
			{ Name: 'name', Value: 'Alice' },
		],
	});
	await idp.call('AdminSetUserPassword', {
		UserPoolId: poolId,
		Username: username,
		Password: STRONG_PASSWORD,
		Permanent: true,
	});
	return { poolId, issuer: `${monban.endpoint}/${poolId}`, web, m2m, username };
}

/** openid-client's configuration for `client`, by discovery (plain HTTP on loopback). */
function discover(client) {
	return oidc.discovery(new URL(pool.issuer), client.ClientId, client.ClientSecret, undefined, {
		execute: [oidc.allowInsecureRequests],
	});
}

/** The same configuration plus monban's introspection and revocation endpoints, which
 * Cognito's discovery document does not list. */
function withExtensions(config, client) {
	const extended = new oidc.Configuration(
		{
			...config.serverMetadata(),
			introspection_endpoint: `${pool.issuer}/oauth2/introspect`,
			revocation_endpoint: `${pool.issuer}/oauth2/revoke`,
		},
		client.ClientId,
		client.ClientSecret,
	);
	oidc.allowInsecureRequests(extended);
	return extended;
}

/** A browser's cookie jar, enough for the hosted UI's cookies. */
class Jar {
	#cookies = new Map();

	take(response) {
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const at = pair.indexOf('=');
			this.#cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
		}
	}

	header() {
		return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}
}

/** Undoes the HTML escaping of an attribute value. */
function unescapeHtml(text) {
	return text
		.replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
		.replace(/&#([0-9]+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
		.replaceAll('&quot;', '"')
		.replaceAll('&lt;', '<')
		.replaceAll('&gt;', '>')
		.replaceAll('&amp;', '&');
}

/** Follows `url` through /oauth2/authorize and the login form; returns the callback URL. */
async function signInThroughTheBrowser(url) {
	const jar = new Jar();
	const get = async (target) => {
		const response = await fetch(target, { redirect: 'manual', headers: { cookie: jar.header() } });
		jar.take(response);
		return response;
	};
	let response = await get(url);
	assert.equal(response.status, 302, await response.text());
	const login = new URL(response.headers.get('location'), url);
	assert.equal(login.pathname, `/${pool.poolId}/login`);
	response = await get(login);
	assert.equal(response.status, 200);
	const html = await response.text();
	const action = unescapeHtml(html.match(/<form[^>]*action="([^"]+)"/)[1]);
	const form = new URLSearchParams();
	for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
		form.set(name, unescapeHtml(value));
	}
	form.set('username', pool.username);
	form.set('password', STRONG_PASSWORD);
	response = await fetch(new URL(action, login), {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
		body: form,
	});
	assert.equal(response.status, 302, `${action}: ${await response.text()}`);
	return new URL(response.headers.get('location'));
}

test('discovery names the pool issuer and its endpoints', async () => {
	const config = await discover(pool.web);
	const meta = config.serverMetadata();
	assert.equal(meta.issuer, pool.issuer);
	assert.equal(meta.token_endpoint, `${pool.issuer}/oauth2/token`);
	assert.equal(meta.authorization_endpoint, `${pool.issuer}/oauth2/authorize`);
	assert.equal(meta.userinfo_endpoint, `${pool.issuer}/oauth2/userInfo`);
	assert.equal(meta.jwks_uri, `${pool.issuer}/.well-known/jwks.json`);
	assert.deepEqual(meta.id_token_signing_alg_values_supported, ['RS256']);
	assert.deepEqual(meta.response_types_supported, ['code', 'token']);
});

test('client credentials: an access token signed by the pool key, introspectable', async () => {
	const config = await discover(pool.m2m);
	const tokens = await oidc.clientCredentialsGrant(config, { scope: 'api/read' });
	assert.equal(tokens.token_type.toLowerCase(), 'bearer');
	assert.equal(tokens.refresh_token, undefined);
	const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
	const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: pool.issuer });
	assert.equal(payload.client_id, pool.m2m.ClientId);
	assert.equal(payload.scope, 'api/read');
	assert.equal(payload.token_use, 'access');

	const introspected = await oidc.tokenIntrospection(withExtensions(config, pool.m2m), tokens.access_token);
	assert.equal(introspected.active, true);
	assert.equal(introspected.client_id, pool.m2m.ClientId);
	assert.equal(introspected.scope, 'api/read');
	const bogus = await oidc.tokenIntrospection(withExtensions(config, pool.m2m), 'not-a-token');
	assert.equal(bogus.active, false);
	// An unknown scope is refused.
	await assert.rejects(oidc.clientCredentialsGrant(config, { scope: 'api/write' }), (err) => {
		assert.equal(err.error, 'invalid_scope');
		return true;
	});
});

test('authorization code with PKCE, state and nonce; userinfo, refresh, introspection, revocation', async () => {
	const config = await discover(pool.web);
	const verifier = oidc.randomPKCECodeVerifier();
	const state = oidc.randomState();
	const nonce = oidc.randomNonce();
	const url = oidc.buildAuthorizationUrl(config, {
		redirect_uri: CALLBACK,
		scope: 'openid email',
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
		state,
		nonce,
	});
	const callback = await signInThroughTheBrowser(url);
	assert.equal(`${callback.origin}${callback.pathname}`, CALLBACK);
	assert.equal(callback.searchParams.get('state'), state);

	// The library checks state, exchanges the code with the verifier, and validates the ID
	// token (issuer, audience, expiry, iat, nonce) by its own rules.
	const tokens = await oidc.authorizationCodeGrant(config, callback, {
		pkceCodeVerifier: verifier,
		expectedState: state,
		expectedNonce: nonce,
		idTokenExpected: true,
	});
	const claims = tokens.claims();
	assert.equal(claims.iss, pool.issuer);
	assert.equal(claims.aud, pool.web.ClientId);
	assert.equal(claims.nonce, nonce);
	assert.equal(claims.email, `${pool.username}@example.com`);
	assert.equal(claims.name, undefined, 'no profile scope, no name claim');
	assert.ok(tokens.refresh_token);
	// The signatures, checked independently against the served key set.
	const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
	const id = await jwtVerify(tokens.id_token, jwks, { issuer: pool.issuer, audience: pool.web.ClientId });
	assert.equal(id.payload.token_use, 'id');
	const access = await jwtVerify(tokens.access_token, jwks, { issuer: pool.issuer });
	assert.equal(access.payload.scope, 'openid email');

	// The code is single use.
	await assert.rejects(
		oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }),
		(err) => {
			assert.equal(err.error, 'invalid_grant');
			return true;
		},
	);

	const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
	assert.equal(info.sub, claims.sub);
	assert.equal(info.email, `${pool.username}@example.com`);

	const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
	assert.ok(refreshed.access_token);
	assert.equal(refreshed.claims().sub, claims.sub);

	const extended = withExtensions(config, pool.web);
	let introspected = await oidc.tokenIntrospection(extended, refreshed.access_token);
	assert.equal(introspected.active, true);
	assert.equal(introspected.username, pool.username);
	assert.equal(introspected.sub, claims.sub);

	// Revoking the refresh token ends the whole sign-in: refresh, introspection, userinfo.
	await oidc.tokenRevocation(extended, tokens.refresh_token);
	await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token), (err) => {
		assert.equal(err.error, 'invalid_grant');
		return true;
	});
	introspected = await oidc.tokenIntrospection(extended, refreshed.access_token);
	assert.equal(introspected.active, false);
	await assert.rejects(oidc.fetchUserInfo(config, refreshed.access_token, claims.sub));
});

test('a PKCE verifier that does not match is refused', async () => {
	const config = await discover(pool.web);
	const verifier = oidc.randomPKCECodeVerifier();
	const state = oidc.randomState();
	const url = oidc.buildAuthorizationUrl(config, {
		redirect_uri: CALLBACK,
		scope: 'openid',
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
		state,
	});
	const callback = await signInThroughTheBrowser(url);
	await assert.rejects(
		oidc.authorizationCodeGrant(config, callback, {
			pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
			expectedState: state,
		}),
		(err) => {
			assert.equal(err.error, 'invalid_grant');
			return true;
		},
	);
});
