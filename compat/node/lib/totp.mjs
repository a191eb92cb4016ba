// TOTP codes as an authenticator app makes them (RFC 6238: HMAC-SHA-1, 6 digits, 30 s steps)
// from the RFC 4648 base32 secret that AssociateSoftwareToken returns.

import crypto from 'node:crypto';

function base32Decode(text) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = 0;
	let value = 0;
	const out = [];
	for (const c of text.replace(/=+$/, '').toUpperCase()) {
		value = (value << 5) | alphabet.indexOf(c);
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return Buffer.from(out);
}

/** The code of time step `step` for `secret`. */
export function totp(secret, step) {
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(step));
	const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
	const offset = mac[mac.length - 1] & 0x0f;
	const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
	return String(code).padStart(6, '0');
}

const currentStep = () => Math.floor(Date.now() / 30000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const lastSteps = new Map();

/** A code the server has not accepted yet. Each time step is good once and the server allows
 * one step of drift, so the step after the last one used (this step or the next) is taken,
 * waiting for a new step only when both are used. */
export async function freshTotp(secret) {
	for (;;) {
		const step = Math.max(currentStep(), (lastSteps.get(secret) ?? -1) + 1);
		if (step <= currentStep() + 1) {
			lastSteps.set(secret, step);
			return totp(secret, step);
		}
		await sleep(30000 - (Date.now() % 30000) + 200);
	}
}

/** A six-digit code that no step near now accepts for `secret` (a user's typo). */
export function wrongTotp(secret) {
	const near = new Set([-2, -1, 0, 1, 2].map((d) => totp(secret, currentStep() + d)));
	for (let n = 0; ; n += 1) {
		const candidate = String((123456 + n * 7919) % 1000000).padStart(6, '0');
		if (!near.has(candidate)) return candidate;
	}
}
