// A minimal SMTP sink on 127.0.0.1 (plain SMTP, no auth, no TLS): the server under test sends
// its mail here, and tests read confirmation and reset codes from it as a user would.

import net from 'node:net';

// Cognito's default templates put the code in `{####}`: six digits by default.
const CODE_PATTERN = /(?<!\d)(\d{6})(?!\d)/g;

function decodeQuotedPrintable(text) {
	return text
		.replace(/=\r?\n/g, '')
		.replace(/=([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** Splits a raw RFC 5322 message into lower-cased headers and the decoded text body. */
export function parseMessage(raw) {
	const split = raw.indexOf('\r\n\r\n');
	const head = split === -1 ? raw : raw.slice(0, split);
	let body = split === -1 ? '' : raw.slice(split + 4);
	const headers = {};
	for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	const encoding = (headers['content-transfer-encoding'] || '').toLowerCase();
	if (encoding === 'base64') {
		body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	} else if (encoding === 'quoted-printable') {
		body = Buffer.from(decodeQuotedPrintable(body), 'latin1').toString('utf8');
	}
	return { headers, body };
}

export function codeIn(mail) {
	const found = [...mail.body.matchAll(CODE_PATTERN)].map((m) => m[1]);
	if (found.length !== 1) {
		throw new Error(`expected exactly one 6-digit code in the mail to ${mail.to}, found ${JSON.stringify(found)}: ${JSON.stringify(mail.body)}`);
	}
	return found[0];
}

export class MailSink {
	#server = null;
	#inboxes = new Map();
	#waiters = new Set();

	host = '127.0.0.1';
	port = 0;

	async start() {
		this.#server = net.createServer((socket) => this.#session(socket));
		await new Promise((resolve, reject) => {
			this.#server.once('error', reject);
			this.#server.listen(0, this.host, resolve);
		});
		this.port = this.#server.address().port;
	}

	async stop() {
		if (!this.#server) return;
		await new Promise((resolve) => this.#server.close(() => resolve()));
		this.#server = null;
	}

	#deliver(mail) {
		const key = mail.to.toLowerCase();
		if (!this.#inboxes.has(key)) this.#inboxes.set(key, []);
		this.#inboxes.get(key).push(mail);
		for (const wake of [...this.#waiters]) wake();
	}

	#session(socket) {
		socket.setEncoding('latin1');
		let pending = '';
		let from = null;
		let rcpts = [];
		let data = null; // array of lines while inside DATA
		const reply = (text) => socket.write(`${text}\r\n`);
		reply('220 monban-test-sink ESMTP');
		socket.on('error', () => {});
		socket.on('data', (chunk) => {
			pending += chunk;
			let end;
			while ((end = pending.indexOf('\r\n')) !== -1) {
				const line = pending.slice(0, end);
				pending = pending.slice(end + 2);
				if (data !== null) {
					if (line === '.') {
						const raw = data.join('\r\n');
						const { headers, body } = parseMessage(raw);
						for (const to of rcpts) {
							this.#deliver({ from, to, subject: headers.subject || '', headers, body, raw });
						}
						data = null;
						from = null;
						rcpts = [];
						reply('250 OK: queued');
					} else {
						data.push(line.startsWith('..') ? line.slice(1) : line);
					}
					continue;
				}
				const verb = line.slice(0, 4).toUpperCase();
				const address = (line.match(/<([^>]*)>/) || [])[1] ?? '';
				if (verb === 'EHLO') {
					socket.write('250-monban-test-sink\r\n250 8BITMIME\r\n');
				} else if (verb === 'HELO') {
					reply('250 monban-test-sink');
				} else if (verb === 'MAIL') {
					from = address;
					rcpts = [];
					reply('250 OK');
				} else if (verb === 'RCPT') {
					rcpts.push(address);
					reply('250 OK');
				} else if (verb === 'DATA') {
					data = [];
					reply('354 End data with <CR><LF>.<CR><LF>');
				} else if (verb === 'RSET') {
					from = null;
					rcpts = [];
					reply('250 OK');
				} else if (verb === 'NOOP') {
					reply('250 OK');
				} else if (verb === 'QUIT') {
					reply('221 Bye');
					socket.end();
				} else {
					reply('502 Command not implemented');
				}
			}
		});
	}

	/** The oldest mail to `to` not yet taken; waits up to `timeoutMs`. */
	nextMail(to, timeoutMs = 15000) {
		const key = to.toLowerCase();
		const take = () => {
			const inbox = this.#inboxes.get(key);
			return inbox && inbox.length ? inbox.shift() : null;
		};
		const ready = take();
		if (ready) return Promise.resolve(ready);
		return new Promise((resolve, reject) => {
			const wake = () => {
				const mail = take();
				if (mail) {
					clearTimeout(timer);
					this.#waiters.delete(wake);
					resolve(mail);
				}
			};
			const timer = setTimeout(() => {
				this.#waiters.delete(wake);
				reject(new Error(`no mail to ${to} within ${timeoutMs} ms (mail held for ${[...this.#inboxes.keys()].join(', ') || 'nobody'})`));
			}, timeoutMs);
			this.#waiters.add(wake);
		});
	}

	async nextCode(to, timeoutMs = 15000) {
		return codeIn(await this.nextMail(to, timeoutMs));
	}
}
