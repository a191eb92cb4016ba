// Direct AWS JSON 1.1 calls to the server for test setup and checks: admin operations
// SigV4-signed with the admin key, public ones unsigned (as the SDKs send them). Kept to
// node:crypto and the global fetch so the suite runs on any Node >= 18.

import crypto from 'node:crypto';

const SERVICE = 'cognito-idp';
const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

const sha256hex = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

export class CognitoError extends Error {
	constructor(status, body) {
		const type = String(body.__type || body.code || 'UnknownError').split('#').pop();
		super(body.message ?? body.Message ?? '');
		this.name = type;
		this.code = type;
		this.status = status;
	}
}

export class CognitoApi {
	constructor(endpoint, region, key) {
		this.endpoint = endpoint;
		this.region = region;
		this.key = key;
	}

	#sign(headers, body, now) {
		const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
		const dateStamp = amzDate.slice(0, 8);
		headers['x-amz-date'] = amzDate;
		const names = Object.keys(headers).map((n) => n.toLowerCase()).sort();
		const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v).trim()]));
		const canonical = [
			'POST', '/', '',
			...names.map((n) => `${n}:${lower[n]}`), '',
			names.join(';'),
			sha256hex(body),
		].join('\n');
		const scope = `${dateStamp}/${this.region}/${SERVICE}/aws4_request`;
		const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonical)].join('\n');
		let signingKey = hmac(`AWS4${this.key.secretAccessKey}`, dateStamp);
		for (const part of [this.region, SERVICE, 'aws4_request']) signingKey = hmac(signingKey, part);
		const signature = crypto.createHmac('sha256', signingKey).update(toSign).digest('hex');
		headers.authorization = `AWS4-HMAC-SHA256 Credential=${this.key.accessKeyId}/${scope}, `
			+ `SignedHeaders=${names.join(';')}, Signature=${signature}`;
	}

	/** Calls `operation`; resolves the parsed response, rejects with a CognitoError. */
	async call(operation, input = {}, { signed = true } = {}) {
		const body = JSON.stringify(input);
		const headers = {
			'content-type': CONTENT_TYPE,
			host: new URL(this.endpoint).host,
			'x-amz-target': TARGET_PREFIX + operation,
		};
		if (signed) this.#sign(headers, body, new Date());
		const { host, ...sent } = headers; // fetch sets Host itself, to the same value
		void host;
		const response = await fetch(`${this.endpoint}/`, { method: 'POST', headers: sent, body });
		const text = await response.text();
		const parsed = text ? JSON.parse(text) : {};
		if (!response.ok) throw new CognitoError(response.status, parsed);
		return parsed;
	}

	/** A public (unsigned) operation: what apps send with an access token or a client id. */
	publicCall(operation, input) {
		return this.call(operation, input, { signed: false });
	}
}
