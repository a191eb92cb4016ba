// amazon-cognito-identity-js remembered devices against `monban serve`: a sign-in with TOTP MFA
// returns NewDeviceMetadata, the library confirms the device (ConfirmDevice with its own device
// verifier), and the next sign-in from that device skips MFA through DEVICE_SRP_AUTH →
// DEVICE_PASSWORD_VERIFIER, all inside `authenticateUser`. Then the device operations of the
// library, and its retry without a forgotten device key.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';

import { freshTotp } from '../lib/totp.mjs';

import { Monban, STRONG_PASSWORD } from '../lib/harness.mjs';

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

const call = (fn) => new Promise((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))));

const payloadOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

// ---- Fixture ----

/** A pool that remembers devices (standing in for MFA), with optional TOTP MFA. */
async function newApp() {
	const app = await monban.createApp({
		pool: {
			DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
		},
	});
	await monban.idp.call('SetUserPoolMfaConfig', {
		UserPoolId: app.poolId,
		MfaConfiguration: 'OPTIONAL',
		SoftwareTokenMfaConfiguration: { Enabled: true },
	});
	app.storage = new MemoryStorage();
	app.userPool = new CognitoUserPool({
		UserPoolId: app.poolId,
		ClientId: app.clientId,
		endpoint: monban.endpoint,
		Storage: app.storage,
	});
	return app;
}

/** A confirmed user with a verified TOTP authenticator as its preferred MFA; returns its secret. */
async function userWithTotp(app) {
	const username = monban.unique('user');
	await monban.idp.call('AdminCreateUser', { UserPoolId: app.poolId, Username: username, MessageAction: 'SUPPRESS' });
	await monban.idp.call('AdminSetUserPassword', {
		UserPoolId: app.poolId, Username: username, Password: STRONG_PASSWORD, Permanent: true,
	});
	const signedIn = await monban.idp.publicCall('InitiateAuth', {
		ClientId: app.clientId,
		AuthFlow: 'USER_PASSWORD_AUTH',
		AuthParameters: { USERNAME: username, PASSWORD: STRONG_PASSWORD },
	});
	const accessToken = signedIn.AuthenticationResult.AccessToken;
	const { SecretCode } = await monban.idp.publicCall('AssociateSoftwareToken', { AccessToken: accessToken });
	const verified = await monban.idp.publicCall('VerifySoftwareToken', {
		AccessToken: accessToken, UserCode: await freshTotp(SecretCode), FriendlyDeviceName: 'phone',
	});
	assert.equal(verified.Status, 'SUCCESS');
	await monban.idp.call('AdminSetUserMFAPreference', {
		UserPoolId: app.poolId,
		Username: username,
		SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
	});
	return { username, secret: SecretCode };
}

/** authenticateUser, answering a TOTP challenge with `await code()` when asked. */
function authenticate(app, username, code) {
	const user = new CognitoUser({ Username: username, Pool: app.userPool, Storage: app.storage });
	const details = new AuthenticationDetails({ Username: username, Password: STRONG_PASSWORD });
	const asked = [];
	return new Promise((resolve, reject) => {
		const callbacks = {
			onSuccess: (session, userConfirmationNecessary) =>
				resolve({ user, session, asked, userConfirmationNecessary }),
			onFailure: reject,
			totpRequired: (challengeName) => {
				asked.push(challengeName);
				if (!code) return reject(new Error('unexpected TOTP challenge'));
				return code().then((c) => user.sendMFACode(c, callbacks, 'SOFTWARE_TOKEN_MFA'), reject);
			},
			mfaRequired: () => reject(new Error('unexpected mfaRequired')),
			newPasswordRequired: () => reject(new Error('unexpected newPasswordRequired')),
			customChallenge: () => reject(new Error('unexpected customChallenge')),
		};
		user.authenticateUser(details, callbacks);
	});
}

function cachedDeviceKey(app, username) {
	return app.storage.getItem(`CognitoIdentityServiceProvider.${app.clientId}.${username}.deviceKey`);
}

describe('amazon-cognito-identity-js remembered devices', () => {
	it('confirms the device after MFA, then signs in from it without MFA', async () => {
		const app = await newApp();
		const { username, secret } = await userWithTotp(app);

		// A new device: the password, then the TOTP code; the library confirms the device.
		const first = await authenticate(app, username, () => freshTotp(secret));
		assert.deepEqual(first.asked, ['SOFTWARE_TOKEN_MFA']);
		assert.notEqual(first.userConfirmationNecessary, true);
		const deviceKey = cachedDeviceKey(app, username);
		assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
		assert.equal(payloadOf(first.session.getAccessToken().getJwtToken()).device_key, deviceKey);

		const device = await call((cb) => first.user.getDevice({ onSuccess: (d) => cb(null, d), onFailure: cb }));
		assert.equal(device.Device.DeviceKey, deviceKey);
		const attributes = Object.fromEntries(device.Device.DeviceAttributes.map((a) => [a.Name, a.Value]));
		assert.equal(attributes['dev:device_remembered_status'], 'remembered');
		assert.equal(attributes.device_name, 'nodejs');

		// The same device again: no TOTP challenge, the device proves itself (DEVICE_SRP_AUTH).
		const second = await authenticate(app, username, null);
		assert.deepEqual(second.asked, []);
		const access = payloadOf(second.session.getAccessToken().getJwtToken());
		assert.equal(access.device_key, deviceKey);
		assert.equal(access.username, username);

		// Refresh sends the device key, as the refresh token is bound to the device.
		const refreshed = await call((cb) => second.user.refreshSession(second.session.getRefreshToken(), cb));
		assert.equal(payloadOf(refreshed.getAccessToken().getJwtToken()).device_key, deviceKey);

		// Not remembered any more: MFA again, then the device still proves itself.
		await call((cb) => second.user.setDeviceStatusNotRemembered({ onSuccess: (r) => cb(null, r), onFailure: cb }));
		const third = await authenticate(app, username, () => freshTotp(secret));
		assert.deepEqual(third.asked, ['SOFTWARE_TOKEN_MFA']);
		assert.equal(payloadOf(third.session.getAccessToken().getJwtToken()).device_key, deviceKey);
		assert.equal(cachedDeviceKey(app, username), deviceKey);

		const listed = await call((cb) => third.user.listDevices(10, null, { onSuccess: (r) => cb(null, r), onFailure: cb }));
		assert.deepEqual(listed.Devices.map((d) => d.DeviceKey), [deviceKey]);
	});

	it('forgets a device and signs in again without its key', async () => {
		const app = await newApp();
		const username = monban.unique('user');
		await monban.idp.call('AdminCreateUser', { UserPoolId: app.poolId, Username: username, MessageAction: 'SUPPRESS' });
		await monban.idp.call('AdminSetUserPassword', {
			UserPoolId: app.poolId, Username: username, Password: STRONG_PASSWORD, Permanent: true,
		});
		const first = await authenticate(app, username, null);
		const deviceKey = cachedDeviceKey(app, username);
		assert.ok(deviceKey);

		// Forgotten by an administrator: the library's cached key is now unknown. Its sign-in
		// gets ResourceNotFoundException ("Device ..."), drops the key and answers again.
		await monban.idp.call('AdminForgetDevice', { UserPoolId: app.poolId, Username: username, DeviceKey: deviceKey });
		const again = await authenticate(app, username, null);
		const newKey = cachedDeviceKey(app, username);
		assert.ok(newKey);
		assert.notEqual(newKey, deviceKey);
		assert.equal(payloadOf(again.session.getAccessToken().getJwtToken()).device_key, newKey);

		// The library's own forgetDevice clears its cache.
		await call((cb) => again.user.forgetDevice({ onSuccess: (r) => cb(null, r), onFailure: cb }));
		assert.equal(cachedDeviceKey(app, username), null);
		const listed = await monban.idp.call('AdminListDevices', { UserPoolId: app.poolId, Username: username });
		assert.deepEqual(listed.Devices, []);
		void first;
	});
});
