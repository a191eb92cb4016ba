// amazon-cognito-identity-js against `monban serve`: sign-up confirmed with the mailed code, SRP
// sign-in, sessions and refresh, password change and reset, global sign-out and revocation,
// and the NEW_PASSWORD_REQUIRED challenge, written the way apps use the library.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import {
	AuthenticationDetails,
	CognitoUser,
	CognitoUserAttribute,
	CognitoUserPool,
} from 'amazon-cognito-identity-js';

import { Monban, NEW_PASSWORD, STRONG_PASSWORD, TEMP_PASSWORD } from '../lib/harness.mjs';

const INCORRECT = 'Incorrect username or password.';

/** Per-pool storage, so that users of different tests never share cached sessions. */
class MemoryStorage {
	#items = new Map();
	setItem(key, value) { this.#items.set(key, String(value)); }
	getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }
	removeItem(key) { this.#items.delete(key); }
	clear() { this.#items.clear(); }
}

let monban;

before(async () => {
	monban = await new Monban().start();
});

after(async () => {
	if (monban) {
		const { crashed, log } = await monban.stop();
		assert.equal(crashed, false, `monban exited during the run; log ${log}`);
	}
});

function payloadOf(jwt) {
	return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** Verifies an RS256 JWT with node:crypto against the key of its `kid` in the served JWKS. */
async function verifyWithJwks(jwt, poolId) {
	const [head, body, signature] = jwt.split('.');
	const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
	assert.deepEqual(Object.keys(header).sort(), ['alg', 'kid']);
	assert.equal(header.alg, 'RS256');
	const response = await fetch(`${monban.endpoint}/${poolId}/.well-known/jwks.json`);
	assert.equal(response.status, 200);
	const { keys } = await response.json();
	const jwk = keys.find((k) => k.kid === header.kid);
	assert.ok(jwk, `kid ${header.kid} is not in the JWKS`);
	const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
	const ok = crypto.verify('RSA-SHA256', Buffer.from(`${head}.${body}`), key, Buffer.from(signature, 'base64url'));
	assert.ok(ok, 'the signature does not verify against the served JWKS');
	return header;
}

/** Runs `body`; on failure adds the end of the server log to the error. */
function it(name, body) {
	return test(name, async (t) => {
		try {
			await body(t);
		} catch (err) {
			err.message = `${err.message}\n--- monban log (tail) ---\n${monban?.logTail(15) ?? ''}`;
			throw err;
		}
	});
}

async function newApp(options) {
	const app = await monban.createApp(options);
	app.userPool = new CognitoUserPool({
		UserPoolId: app.poolId,
		ClientId: app.clientId,
		endpoint: monban.endpoint,
		Storage: new MemoryStorage(),
	});
	return app;
}

function userOf(app, username) {
	return new CognitoUser({ Username: username, Pool: app.userPool, Storage: app.userPool.storage });
}

function signUp(app, username, password, attributes) {
	const list = Object.entries(attributes).map(([Name, Value]) => new CognitoUserAttribute({ Name, Value }));
	return new Promise((resolve, reject) => {
		// `null` validation data, as in the library's own examples: sent as JSON null.
		app.userPool.signUp(username, password, list, null, (err, result) => (err ? reject(err) : resolve(result)));
	});
}

function confirmRegistration(user, code) {
	return new Promise((resolve, reject) => {
		user.confirmRegistration(code, true, (err, result) => (err ? reject(err) : resolve(result)));
	});
}

/** authenticateUser; resolves `{ session }` or `{ newPasswordRequired: { userAttributes, requiredAttributes } }`. */
function authenticate(user, username, password) {
	const details = new AuthenticationDetails({ Username: username, Password: password });
	return new Promise((resolve, reject) => {
		user.authenticateUser(details, {
			onSuccess: (session) => resolve({ session }),
			onFailure: reject,
			newPasswordRequired: (userAttributes, requiredAttributes) =>
				resolve({ newPasswordRequired: { userAttributes, requiredAttributes } }),
			mfaRequired: () => reject(new Error('unexpected mfaRequired')),
			totpRequired: () => reject(new Error('unexpected totpRequired')),
			customChallenge: () => reject(new Error('unexpected customChallenge')),
		});
	});
}

const call = (fn) => new Promise((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))));

async function newAccount(app, attributes = {}) {
	const username = monban.unique('user');
	const email = `${username}@example.com`;
	const result = await signUp(app, username, STRONG_PASSWORD, { email, ...attributes });
	const user = userOf(app, username);
	await confirmRegistration(user, await monban.mail.nextCode(email));
	return { username, email, password: STRONG_PASSWORD, sub: result.userSub, user };
}

async function rejectsWith(promise, code, message) {
	await assert.rejects(promise, (err) => {
		assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
		if (message !== undefined) assert.equal(err.message, message);
		return true;
	});
}

/** The error a direct call fails with (its `name` is the Cognito error code). */
async function sdkError(promise) {
	const err = await promise.then(() => null, (e) => e);
	assert.ok(err, 'the call succeeded; expected a Cognito error');
	return err;
}

describe('amazon-cognito-identity-js', () => {
	it('signs up, confirms with the mailed code, signs in with SRP, keeps the session', async () => {
		const app = await newApp();
		const username = monban.unique('user');
		const email = `${username}@example.com`;

		const signedUp = await signUp(app, username, STRONG_PASSWORD, { email, name: 'Node User' });
		assert.equal(signedUp.userConfirmed, false);
		assert.match(signedUp.userSub, /^[0-9a-f-]{36}$/);
		assert.equal(signedUp.codeDeliveryDetails.DeliveryMedium, 'EMAIL');
		assert.equal(signedUp.codeDeliveryDetails.AttributeName, 'email');

		const mail = await monban.mail.nextMail(email);
		assert.equal(mail.from, 'no-reply@monban.test');
		const code = mail.body.match(/(?<!\d)\d{6}(?!\d)/)[0];
		const user = userOf(app, username);
		assert.equal(await confirmRegistration(user, code), 'SUCCESS');

		// SRP sign-in (the library's default flow).
		const { session } = await authenticate(user, username, STRONG_PASSWORD);
		assert.ok(session.isValid());
		const access = session.getAccessToken();
		const id = session.getIdToken();
		assert.equal(access.decodePayload().username, username);
		assert.equal(access.decodePayload().token_use, 'access');
		assert.equal(access.decodePayload().client_id, app.clientId);
		assert.equal(id.decodePayload()['cognito:username'], username);
		assert.equal(id.decodePayload().email, email);
		assert.equal(id.decodePayload().email_verified, true);
		assert.equal(id.decodePayload().aud, app.clientId);
		assert.equal(id.decodePayload().sub, signedUp.userSub);
		assert.ok(session.getRefreshToken().getToken());
		const issuer = `${monban.endpoint}/${app.poolId}`;
		assert.equal(id.decodePayload().iss, issuer);
		assert.equal(access.decodePayload().iss, issuer);
		const idHeader = await verifyWithJwks(id.getJwtToken(), app.poolId);
		const accessHeader = await verifyWithJwks(access.getJwtToken(), app.poolId);
		assert.notEqual(idHeader.kid, accessHeader.kid);
		// The clock drift the library computes from `iat` is small: iat is the server's real time.
		assert.ok(Math.abs(session.getClockDrift()) <= 5, `clock drift ${session.getClockDrift()}`);

		// getSession answers from the cache while the tokens are valid.
		const cached = await call((cb) => user.getSession(cb));
		assert.equal(cached.getAccessToken().getJwtToken(), access.getJwtToken());

		// A new CognitoUser object restores the session from storage.
		const restored = await call((cb) => userOf(app, username).getSession(cb));
		assert.equal(restored.getIdToken().getJwtToken(), id.getJwtToken());

		// Attributes with the access token.
		const attributes = await call((cb) => user.getUserAttributes(cb));
		const byName = Object.fromEntries(attributes.map((a) => [a.getName(), a.getValue()]));
		assert.equal(byName.email, email);
		assert.equal(byName.name, 'Node User');
		assert.equal(byName.email_verified, 'true');
	});

	it('refreshSession: REFRESH_TOKEN_AUTH keeps the refresh token and the token family', async () => {
		const app = await newApp();
		const account = await newAccount(app);
		const user = userOf(app, account.username);
		const { session } = await authenticate(user, account.username, account.password);
		const access = session.getAccessToken();
		await new Promise((resolve) => setTimeout(resolve, 1100));
		// As the library sends it: AuthParameters carries `"DEVICE_KEY": null` when no device
		// was remembered.
		const refreshed = await call((cb) => user.refreshSession(session.getRefreshToken(), cb));
		assert.ok(refreshed.isValid());
		assert.notEqual(refreshed.getAccessToken().getJwtToken(), access.getJwtToken());
		assert.equal(refreshed.getRefreshToken().getToken(), session.getRefreshToken().getToken());
		assert.equal(refreshed.getAccessToken().decodePayload().origin_jti, access.decodePayload().origin_jti);
		assert.equal(refreshed.getIdToken().decodePayload().auth_time, session.getIdToken().decodePayload().auth_time);
		const me = await monban.idp.publicCall('GetUser', { AccessToken: refreshed.getAccessToken().getJwtToken() });
		assert.equal(me.Username, account.username);
	});

	it('changePassword, then sign in with the new password, then globalSignOut', async () => {
		const app = await newApp();
		const account = await newAccount(app);
		const { username } = account;
		const user = userOf(app, username);
		const { session: first } = await authenticate(user, username, STRONG_PASSWORD);

		assert.equal(await call((cb) => user.changePassword(STRONG_PASSWORD, NEW_PASSWORD, cb)), 'SUCCESS');
		await rejectsWith(authenticate(userOf(app, username), username, STRONG_PASSWORD), 'NotAuthorizedException', INCORRECT);
		const again = userOf(app, username);
		const { session: second } = await authenticate(again, username, NEW_PASSWORD);
		assert.ok(second.isValid());

		// globalSignOut revokes every session of the user: the access tokens and refresh tokens
		// of both sign-ins stop working.
		await new Promise((resolve, reject) => again.globalSignOut({ onSuccess: resolve, onFailure: reject }));
		for (const session of [first, second]) {
			const revoked = await sdkError(monban.idp.publicCall('GetUser', { AccessToken: session.getAccessToken().getJwtToken() }));
			assert.equal(revoked.name, 'NotAuthorizedException');
			assert.equal(revoked.message, 'Access Token has been revoked');
			const refused = await sdkError(monban.idp.publicCall('InitiateAuth', {
				ClientId: app.clientId,
				AuthFlow: 'REFRESH_TOKEN_AUTH',
				AuthParameters: { REFRESH_TOKEN: session.getRefreshToken().getToken() },
			}));
			assert.equal(refused.name, 'NotAuthorizedException');
		}
	});

	it('refuses a wrong password with Cognito\'s message', async () => {
		const app = await newApp();
		const account = await newAccount(app);
		await rejectsWith(authenticate(userOf(app, account.username), account.username, 'Wr0ng-Passw0rd!'), 'NotAuthorizedException', INCORRECT);
	});

	it('refuses a wrong password with USER_PASSWORD_AUTH too', async () => {
		const app = await newApp();
		const account = await newAccount(app);
		const user = userOf(app, account.username);
		user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
		await rejectsWith(authenticate(user, account.username, 'Wr0ng-Passw0rd!'), 'NotAuthorizedException', INCORRECT);
		const { session } = await authenticate(user, account.username, account.password);
		assert.equal(session.getIdToken().decodePayload()['cognito:username'], account.username);
	});

	it('refuses an unconfirmed user, then the resent code confirms', async () => {
		const app = await newApp();
		const username = monban.unique('user');
		const email = `${username}@example.com`;
		await signUp(app, username, STRONG_PASSWORD, { email });
		await monban.mail.nextCode(email);
		const user = userOf(app, username);
		await rejectsWith(authenticate(user, username, STRONG_PASSWORD), 'UserNotConfirmedException', 'User is not confirmed.');
		const resent = await call((cb) => user.resendConfirmationCode(cb));
		assert.equal(resent.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
		await confirmRegistration(user, await monban.mail.nextCode(email));
		const { session } = await authenticate(user, username, STRONG_PASSWORD);
		assert.ok(session.isValid());
	});

	it('rejects a wrong confirmation code', async () => {
		const app = await newApp();
		const username = monban.unique('user');
		const email = `${username}@example.com`;
		await signUp(app, username, STRONG_PASSWORD, { email });
		const code = await monban.mail.nextCode(email);
		const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
		await rejectsWith(confirmRegistration(userOf(app, username), wrong), 'CodeMismatchException');
		assert.equal(await confirmRegistration(userOf(app, username), code), 'SUCCESS');
	});

	it('answers NEW_PASSWORD_REQUIRED for an admin-created user', async () => {
		const app = await newApp();
		const username = monban.unique('user');
		await monban.idp.call('AdminCreateUser', {
			UserPoolId: app.poolId,
			Username: username,
			TemporaryPassword: TEMP_PASSWORD,
			MessageAction: 'SUPPRESS',
			UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
		});
		const user = userOf(app, username);
		const first = await authenticate(user, username, TEMP_PASSWORD);
		assert.ok(first.newPasswordRequired, 'expected the NEW_PASSWORD_REQUIRED challenge');
		assert.deepEqual(first.newPasswordRequired.requiredAttributes, []);
		assert.equal(first.newPasswordRequired.userAttributes.email, `${username}@example.com`);
		const session = await new Promise((resolve, reject) => {
			user.completeNewPasswordChallenge(NEW_PASSWORD, {}, {
				onSuccess: resolve,
				onFailure: reject,
				mfaRequired: () => reject(new Error('unexpected mfaRequired')),
			});
		});
		assert.ok(session.isValid());
		const status = await monban.idp.call('AdminGetUser', { UserPoolId: app.poolId, Username: username });
		assert.equal(status.UserStatus, 'CONFIRMED');
		const { session: later } = await authenticate(userOf(app, username), username, NEW_PASSWORD);
		assert.ok(later.isValid());
	});

	it('resets a forgotten password with the mailed code', async () => {
		const app = await newApp();
		const account = await newAccount(app);
		const user = userOf(app, account.username);
		const delivery = await new Promise((resolve, reject) => {
			user.forgotPassword({ onSuccess: resolve, onFailure: reject, inputVerificationCode: resolve });
		});
		assert.equal(delivery.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
		const code = await monban.mail.nextCode(account.email);
		await new Promise((resolve, reject) => {
			user.confirmPassword(code, NEW_PASSWORD, { onSuccess: resolve, onFailure: reject });
		});
		const { session } = await authenticate(userOf(app, account.username), account.username, NEW_PASSWORD);
		assert.ok(session.isValid());
	});

	it('signOut with revocation revokes the refresh token', async () => {
		const app = await newApp();
		const account = await newAccount(app);
		const user = userOf(app, account.username);
		const { session } = await authenticate(user, account.username, account.password);
		assert.ok(session.getAccessToken().decodePayload().origin_jti, 'tokens carry origin_jti: revocable');
		await new Promise((resolve, reject) => user.signOut((err) => (err ? reject(err) : resolve())));
		const refused = await sdkError(monban.idp.publicCall('InitiateAuth', {
			ClientId: app.clientId,
			AuthFlow: 'REFRESH_TOKEN_AUTH',
			AuthParameters: { REFRESH_TOKEN: session.getRefreshToken().getToken() },
		}));
		assert.equal(refused.name, 'NotAuthorizedException');
		const getUser = await sdkError(monban.idp.publicCall('GetUser', { AccessToken: session.getAccessToken().getJwtToken() }));
		assert.equal(getUser.name, 'NotAuthorizedException');
		assert.equal(getUser.message, 'Access Token has been revoked');
	});

	it('updates and verifies attributes', async () => {
		const app = await newApp();
		const account = await newAccount(app);
		const user = userOf(app, account.username);
		await authenticate(user, account.username, account.password);
		await call((cb) => user.updateAttributes([new CognitoUserAttribute({ Name: 'name', Value: 'Renamed' })], cb));
		const attributes = await call((cb) => user.getUserAttributes(cb));
		assert.equal(attributes.find((a) => a.getName() === 'name').getValue(), 'Renamed');

		await new Promise((resolve, reject) => {
			user.getAttributeVerificationCode('email', { onSuccess: resolve, onFailure: reject, inputVerificationCode: resolve });
		});
		const code = await monban.mail.nextCode(account.email);
		await new Promise((resolve, reject) => {
			user.verifyAttribute('email', code, { onSuccess: resolve, onFailure: reject });
		});
	});

	it('deletes the user', async () => {
		const app = await newApp();
		const account = await newAccount(app);
		const user = userOf(app, account.username);
		await authenticate(user, account.username, account.password);
		assert.equal(await call((cb) => user.deleteUser(cb)), 'SUCCESS');
		const gone = await sdkError(monban.idp.call('AdminGetUser', { UserPoolId: app.poolId, Username: account.username }));
		assert.equal(gone.name, 'UserNotFoundException');
	});

	it('signs in by email alias with SRP', async () => {
		const app = await newApp({ pool: { AliasAttributes: ['email'] } });
		const account = await newAccount(app);
		const user = userOf(app, account.email);
		const { session } = await authenticate(user, account.email, account.password);
		assert.equal(session.getIdToken().decodePayload()['cognito:username'], account.username);
	});
});
