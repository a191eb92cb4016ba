// The harness itself: admin calls signed with the admin key work, and mail really leaves the
// server over SMTP (the invitation of an admin-created user reaches the sink).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { MAIL_FROM, Monban, TEMP_PASSWORD } from '../lib/harness.mjs';

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

test('the invitation of an admin-created user is mailed', async () => {
	const { poolId } = await monban.createApp();
	const username = monban.unique('invitee');
	const email = `${username}@example.com`;
	await monban.idp.call('AdminCreateUser', {
		UserPoolId: poolId,
		Username: username,
		TemporaryPassword: TEMP_PASSWORD,
		DesiredDeliveryMediums: ['EMAIL'],
		UserAttributes: [{ Name: 'email', Value: email }],
	});
	const mail = await monban.mail.nextMail(email);
	assert.equal(mail.from, MAIL_FROM);
	assert.ok(mail.subject);
	assert.ok(mail.body.includes(username), mail.body);
	assert.ok(mail.body.includes(TEMP_PASSWORD), mail.body);
});

test('admin calls need a valid signature', async () => {
	await assert.rejects(monban.idp.publicCall('ListUserPools', { MaxResults: 1 }), (err) => {
		assert.equal(err.name, 'MissingAuthenticationTokenException');
		return true;
	});
	const listed = await monban.idp.call('ListUserPools', { MaxResults: 1 });
	assert.ok(Array.isArray(listed.UserPools));
});
