// The hosted UI in a real browser: Debian's headless Chromium driven by playwright-core runs
// the authorization code grant with PKCE (S256) through monban's pages, as a user would.
// Sign-in (tokens exchanged and the ID token's nonce and claims checked), a wrong password,
// sign-up with the emailed code, a TOTP challenge, the session cookie skipping the login page,
// and logout ending that session. The callback and sign-out URLs are a small local HTTP
// server. The pages' ids and field names are the contract in
// crates/monban-server/src/hosted_ui/mod.rs ("Page flow").
//
// Without /usr/bin/chromium (or MONBAN_CHROMIUM) the file skips, except when MONBAN_REQUIRE_BROWSER=1 or CI is
// set (.ci/run installs chromium): then it fails. A failing test leaves a screenshot in
// compat/node/artifacts/.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Monban, STRONG_PASSWORD } from '../lib/harness.mjs';
import { freshTotp, wrongTotp } from '../lib/totp.mjs';

// Debian's package; MONBAN_CHROMIUM names another build of Chromium.
const CHROMIUM = process.env.MONBAN_CHROMIUM || '/usr/bin/chromium';
// The closed network refuses Chromium's own background connections; these keep it quiet.
const CHROMIUM_ARGS = [
	'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
const SCOPES = 'openid email profile';
const PAGE_TIMEOUT_MS = 15000;

const required = process.env.MONBAN_REQUIRE_BROWSER === '1' || ['1', 'true'].includes(process.env.CI ?? '');
const present = fs.existsSync(CHROMIUM);
if (!present && required) {
	test('hosted UI in Chromium', () => {
		assert.fail(`${CHROMIUM} is missing but the browser tests are required here (MONBAN_REQUIRE_BROWSER=1 or CI): install Debian's chromium`);
	});
}

let skip = false;
if (!present) {
	skip = required ? 'not run: Chromium is missing (the failure above)' : `${CHROMIUM} not found (apt-get install chromium); skipped outside CI`;
}

const b64url = (buffer) => buffer.toString('base64url');
const payloadOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

/** The local application: receives the redirects after sign-in and sign-out. */
class AppServer {
	hits = [];
	#server = null;

	async start() {
		this.#server = http.createServer((request, response) => {
			const url = new URL(request.url, this.origin);
			this.hits.push(url);
			response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			response.end(`<!doctype html><title>app</title><p id="app">${url.pathname}</p>`);
		});
		await new Promise((resolve, reject) => {
			this.#server.once('error', reject);
			this.#server.listen(0, '127.0.0.1', resolve);
		});
		this.origin = `http://localhost:${this.#server.address().port}`;
		this.callback = `${this.origin}/cb`;
		this.signedOut = `${this.origin}/signed-out`;
		return this;
	}

	async stop() {
		if (this.#server) await new Promise((resolve) => this.#server.close(() => resolve()));
	}
}

describe('hosted UI in Chromium (authorization code + PKCE)', { skip }, () => {
	let monban;
	let appServer;
	let browser;
	let app; // { poolId, clientId }
	const started = Date.now();

	before(async () => {
		const { chromium } = await import('playwright-core');
		monban = await new Monban().start();
		appServer = await new AppServer().start();
		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
		app = await monban.createApp({
			client: {
				AllowedOAuthFlowsUserPoolClient: true,
				AllowedOAuthFlows: ['code'],
				AllowedOAuthScopes: ['openid', 'email', 'profile'],
				CallbackURLs: [appServer.callback],
				LogoutURLs: [appServer.signedOut],
				SupportedIdentityProviders: ['COGNITO'],
			},
		});
		await monban.idp.call('SetUserPoolMfaConfig', {
			UserPoolId: app.poolId,
			MfaConfiguration: 'OPTIONAL',
			SoftwareTokenMfaConfiguration: { Enabled: true },
		});
	});

	after(async () => {
		await browser?.close();
		await appServer?.stop();
		if (monban) {
			const { crashed, log } = await monban.stop();
			assert.equal(crashed, false, `monban exited during the run; log ${log}`);
		}
		console.log(`hosted UI browser tests took ${((Date.now() - started) / 1000).toFixed(1)} s`);
	});

	/** Runs `body` with a page of a fresh browser context (its own cookies); on failure, a
	 * screenshot and the server's log tail. */
	function it(name, body) {
		return test(name, async () => {
			const context = await browser.newContext();
			context.setDefaultTimeout(PAGE_TIMEOUT_MS);
			const page = await context.newPage();
			try {
				await body(page);
			} catch (err) {
				fs.mkdirSync(ARTIFACTS, { recursive: true });
				const file = path.join(ARTIFACTS, `hosted-ui-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
				await page.screenshot({ path: file, fullPage: true }).catch(() => {});
				err.message = `${err.message}\n(page ${page.url()}; screenshot ${file})\n--- monban log (tail) ---\n${monban.logTail(15)}`;
				throw err;
			} finally {
				await context.close();
			}
		});
	}

	/** A fresh authorization request: its URL and what the app keeps to finish it. */
	function authorization() {
		const verifier = b64url(crypto.randomBytes(32));
		const state = b64url(crypto.randomBytes(12));
		const nonce = b64url(crypto.randomBytes(12));
		const url = new URL(`${monban.endpoint}/${app.poolId}/oauth2/authorize`);
		url.search = new URLSearchParams({
			response_type: 'code',
			client_id: app.clientId,
			redirect_uri: appServer.callback,
			scope: SCOPES,
			state,
			nonce,
			code_challenge: b64url(crypto.createHash('sha256').update(verifier).digest()),
			code_challenge_method: 'S256',
		}).toString();
		return { url: url.toString(), verifier, state, nonce };
	}

	const loginPath = () => `/${app.poolId}/login`;
	const atCallback = (url) => url.toString().startsWith(appServer.callback);

	async function expectLoginPage(page) {
		await page.waitForURL((url) => url.pathname === loginPath());
		await page.locator('#login-form').waitFor();
	}

	async function submitLogin(page, username, password) {
		await page.locator('#login-form [name="username"]').fill(username);
		await page.locator('#login-form [name="password"]').fill(password);
		await page.locator('#sign-in').click();
	}

	/** Waits for the redirect to the app; checks state; returns the code. */
	async function codeAtCallback(page, auth) {
		await page.waitForURL(atCallback);
		const url = new URL(page.url());
		assert.equal(url.searchParams.get('state'), auth.state);
		const code = url.searchParams.get('code');
		assert.ok(code, `no code in ${url}`);
		assert.ok(appServer.hits.some((hit) => hit.searchParams.get('code') === code), 'the app server saw the redirect');
		return code;
	}

	/** The app's side: the code and the PKCE verifier for tokens; checks the ID token. */
	async function exchange(code, auth, username) {
		const tokenUrl = `${monban.endpoint}/${app.poolId}/oauth2/token`;
		const form = (verifier) => new URLSearchParams({
			grant_type: 'authorization_code',
			client_id: app.clientId,
			code,
			redirect_uri: appServer.callback,
			code_verifier: verifier,
		});
		const response = await fetch(tokenUrl, { method: 'POST', body: form(auth.verifier) });
		const tokens = await response.json();
		assert.equal(response.status, 200, JSON.stringify(tokens));
		assert.equal(tokens.token_type, 'Bearer');
		assert.ok(tokens.access_token && tokens.refresh_token);
		const id = payloadOf(tokens.id_token);
		assert.equal(id.iss, `${monban.endpoint}/${app.poolId}`);
		assert.equal(id.aud, app.clientId);
		assert.equal(id.token_use, 'id');
		assert.equal(id.nonce, auth.nonce);
		assert.equal(id['cognito:username'], username);
		assert.equal(id.email, `${username}@example.com`);
		assert.equal(payloadOf(tokens.access_token).scope.split(' ').sort().join(' '), 'email openid profile');
		// The code was good once.
		const again = await fetch(tokenUrl, { method: 'POST', body: form(auth.verifier) });
		assert.equal(again.status, 400);
		assert.equal((await again.json()).error, 'invalid_grant');
		return { tokens, id };
	}

	async function confirmedUser() {
		const username = monban.unique('user');
		await monban.idp.call('AdminCreateUser', {
			UserPoolId: app.poolId,
			Username: username,
			MessageAction: 'SUPPRESS',
			UserAttributes: [
				{ Name: 'email', Value: `${username}@example.com` },
				{ Name: 'email_verified', Value: 'true' },
			],
		});
		await monban.idp.call('AdminSetUserPassword', {
			UserPoolId: app.poolId, Username: username, Password: STRONG_PASSWORD, Permanent: true,
		});
		return username;
	}

	it('signs in with PKCE S256 and exchanges the code for tokens', async (page) => {
		const username = await confirmedUser();
		const auth = authorization();
		await page.goto(auth.url);
		await expectLoginPage(page);
		await submitLogin(page, username, STRONG_PASSWORD);
		const code = await codeAtCallback(page, auth);
		await exchange(code, auth, username);
	});

	it('a wrong password shows #error on the login page', async (page) => {
		const username = await confirmedUser();
		const auth = authorization();
		await page.goto(auth.url);
		await expectLoginPage(page);
		await submitLogin(page, username, `${STRONG_PASSWORD}x`);
		const error = page.locator('#error');
		await error.waitFor();
		assert.match(await error.innerText(), /incorrect username or password/i);
		assert.equal(new URL(page.url()).pathname, loginPath());
		assert.equal(appServer.hits.some((hit) => hit.searchParams.get('state') === auth.state), false);
		// The form still works: the right password goes through.
		await submitLogin(page, username, STRONG_PASSWORD);
		await exchange(await codeAtCallback(page, auth), auth, username);
	});

	it('signs up with the emailed code, then signs in', async (page) => {
		const username = monban.unique('new');
		const email = `${username}@example.com`;
		const auth = authorization();
		await page.goto(auth.url);
		await expectLoginPage(page);
		await page.locator('#signup-link').click();
		await page.locator('#signup-form').waitFor();
		await page.locator('#signup-form [name="username"]').fill(username);
		await page.locator('#signup-form [name="email"]').fill(email);
		await page.locator('#signup-form [name="password"]').fill(STRONG_PASSWORD);
		await page.locator('#sign-up').click();

		await page.waitForURL((url) => url.pathname === `/${app.poolId}/confirmUser`);
		await page.locator('#confirm-form').waitFor();
		assert.equal(await page.locator('#confirm-form [name="username"]').inputValue(), username);
		const code = await monban.mail.nextCode(email);
		await page.locator('#confirm-form [name="code"]').fill(code);
		await page.locator('#confirm').click();

		// The login page, rendered in answer to the confirmation (its form posts to /login).
		await page.locator('#login-form').waitFor();
		assert.match(await page.locator('#message').innerText(), /confirmed/i);
		assert.equal(await page.locator('#login-form [name="username"]').inputValue(), username);
		const user = await monban.idp.call('AdminGetUser', { UserPoolId: app.poolId, Username: username });
		assert.equal(user.UserStatus, 'CONFIRMED');
		await submitLogin(page, username, STRONG_PASSWORD);
		await exchange(await codeAtCallback(page, auth), auth, username);
	});

	it('a user with TOTP MFA gets the code page and completes it', async (page) => {
		const username = await confirmedUser();
		const signedIn = await monban.idp.publicCall('InitiateAuth', {
			ClientId: app.clientId,
			AuthFlow: 'USER_PASSWORD_AUTH',
			AuthParameters: { USERNAME: username, PASSWORD: STRONG_PASSWORD },
		});
		const accessToken = signedIn.AuthenticationResult.AccessToken;
		const { SecretCode: secret } = await monban.idp.publicCall('AssociateSoftwareToken', { AccessToken: accessToken });
		const verified = await monban.idp.publicCall('VerifySoftwareToken', {
			AccessToken: accessToken, UserCode: await freshTotp(secret), FriendlyDeviceName: 'phone',
		});
		assert.equal(verified.Status, 'SUCCESS');
		await monban.idp.publicCall('SetUserMFAPreference', {
			AccessToken: accessToken,
			SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
		});

		const auth = authorization();
		await page.goto(auth.url);
		await expectLoginPage(page);
		await submitLogin(page, username, STRONG_PASSWORD);
		const challenge = page.locator('#challenge-form');
		await challenge.waitFor();
		assert.equal(await challenge.locator('[name="challenge_name"]').inputValue(), 'SOFTWARE_TOKEN_MFA');
		// A mistyped code keeps the user on the page with an error.
		await challenge.locator('[name="code"]').fill(wrongTotp(secret));
		await page.locator('#verify-code').click();
		await page.locator('#error').waitFor();
		assert.equal(atCallback(page.url()), false);
		await page.locator('#challenge-form [name="code"]').fill(await freshTotp(secret));
		await page.locator('#verify-code').click();
		await exchange(await codeAtCallback(page, auth), auth, username);
	});

	it('the session cookie skips the login page; logout ends the session', async (page) => {
		const username = await confirmedUser();
		const first = authorization();
		await page.goto(first.url);
		await expectLoginPage(page);
		await submitLogin(page, username, STRONG_PASSWORD);
		await exchange(await codeAtCallback(page, first), first, username);

		// Same browser, a new authorization: straight back to the app, no login page.
		const visited = [];
		const onRequest = (request) => visited.push(new URL(request.url()).pathname);
		page.on('request', onRequest);
		const second = authorization();
		await page.goto(second.url);
		const { id } = await exchange(await codeAtCallback(page, second), second, username);
		page.off('request', onRequest);
		assert.ok(!visited.includes(loginPath()), `the login page was shown: ${visited.join(' → ')}`);
		assert.equal(id.nonce, second.nonce);

		// Logout ends it: back to the app's sign-out URL, and the next authorization asks again.
		const logout = new URL(`${monban.endpoint}/${app.poolId}/logout`);
		logout.search = new URLSearchParams({ client_id: app.clientId, logout_uri: appServer.signedOut }).toString();
		await page.goto(logout.toString());
		await page.waitForURL((url) => url.toString() === appServer.signedOut);
		const cookies = await page.context().cookies(monban.endpoint + `/${app.poolId}/`);
		assert.equal(cookies.some((c) => c.name === 'monban_session'), false, 'the session cookie is gone');
		const third = authorization();
		await page.goto(third.url);
		await expectLoginPage(page);
		await submitLogin(page, username, STRONG_PASSWORD);
		await exchange(await codeAtCallback(page, third), third, username);
	});
});
