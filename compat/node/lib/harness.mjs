// Starts the already-built `monban` binary for one test file: a free loopback port, a temporary
// data directory, SMTP pointed at a local sink, the admin key read from
// `<data_dir>/admin-key.json`. The database is MONBAN_TEST_DATABASE_URL when set (PostgreSQL,
// maybe shared: every test creates its own uniquely named resources), else SQLite in the data
// directory.

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CognitoApi } from './cognito-api.mjs';
import { MailSink } from './mail-sink.mjs';

export const REGION = 'us-east-1';
export const MAIL_FROM = 'no-reply@monban.test';
export const STRONG_PASSWORD = 'Str0ng-Passw0rd!';
export const NEW_PASSWORD = 'N3w-Passw0rd!x';
export const TEMP_PASSWORD = 'Temp-Passw0rd!';
const STARTUP_TIMEOUT_MS = 60000;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function monbanBinary() {
	const explicit = process.env.MONBAN_BIN;
	const candidate = explicit || path.join(process.env.CARGO_TARGET_DIR || 'target', 'debug', 'monban');
	return path.isAbsolute(candidate) ? candidate : path.join(REPO_ROOT, candidate);
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function findKey(doc) {
	if (Array.isArray(doc)) {
		for (const child of doc) {
			const found = findKey(child);
			if (found) return found;
		}
		return null;
	}
	if (doc && typeof doc === 'object') {
		const norm = {};
		for (const [k, v] of Object.entries(doc)) {
			if (typeof v === 'string') norm[k.toLowerCase().replace(/[^a-z]/g, '')] = v;
		}
		const accessKeyId = norm.accesskeyid || norm.awsaccesskeyid;
		const secretAccessKey = norm.secretaccesskey || norm.awssecretaccesskey;
		if (accessKeyId && secretAccessKey) return { accessKeyId, secretAccessKey };
		return findKey(Object.values(doc));
	}
	return null;
}

export class Monban {
	mail = new MailSink();
	endpoint = '';
	adminKey = null;
	/** @type {CognitoApi} admin (signed) and public (unsigned) calls */
	idp = null;
	#child = null;
	#pools = [];

	constructor() {
		this.work = fs.mkdtempSync(path.join(os.tmpdir(), 'monban-node-compat-'));
		this.dataDir = path.join(this.work, 'data');
		this.logPath = path.join(this.work, 'server.log');
		fs.mkdirSync(this.dataDir);
	}

	logTail(lines = 60) {
		try {
			return fs.readFileSync(this.logPath, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return '';
		}
	}

	async start() {
		const binary = monbanBinary();
		if (!fs.existsSync(binary)) {
			throw new Error(`monban binary not found at ${binary}: run \`cargo build -p monban\` first (or set MONBAN_BIN)`);
		}
		await this.mail.start();
		for (let attempt = 0; attempt < 3; attempt += 1) {
			const port = await freePort();
			this.endpoint = `http://127.0.0.1:${port}`;
			const args = [
				'serve',
				'--listen', `127.0.0.1:${port}`,
				'--data-dir', this.dataDir,
				'--region', REGION,
				'--smtp-host', this.mail.host,
				'--smtp-port', String(this.mail.port),
				'--smtp-security', 'plain',
				'--smtp-from', MAIL_FROM,
			];
			const databaseUrl = process.env.MONBAN_TEST_DATABASE_URL;
			if (databaseUrl) args.push('--database-url', databaseUrl);
			// MONBAN_* variables would override the flags; the suite decides everything.
			const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MONBAN_')));
			env.RUST_LOG = env.RUST_LOG || 'info';
			const log = fs.openSync(this.logPath, 'a');
			fs.writeSync(log, `$ ${binary} ${args.map((a) => (a === databaseUrl ? '<database-url>' : a)).join(' ')}\n`);
			this.#child = spawn(binary, args, { cwd: this.dataDir, env, stdio: ['ignore', log, log] });
			fs.closeSync(log);
			if (await this.#waitHealthy()) {
				this.adminKey = findKey(JSON.parse(fs.readFileSync(path.join(this.dataDir, 'admin-key.json'), 'utf8')));
				if (!this.adminKey) throw new Error(`no admin key in ${this.dataDir}/admin-key.json`);
				this.idp = new CognitoApi(this.endpoint, REGION, this.adminKey);
				return this;
			}
			if (!/in use/i.test(this.logTail())) break;
		}
		await this.stop();
		throw new Error(`monban did not become healthy; log ${this.logPath}:\n${this.logTail()}`);
	}

	async #waitHealthy() {
		const deadline = Date.now() + STARTUP_TIMEOUT_MS;
		while (Date.now() < deadline) {
			if (!this.#child || this.#child.exitCode !== null) return false;
			try {
				const response = await fetch(`${this.endpoint}/health`);
				if (response.status === 200) return true;
			} catch {
				// not listening yet
			}
			await sleep(200);
		}
		return false;
	}

	unique(prefix = 't') {
		return `${prefix}-${randomUUID().replace(/-/g, '').slice(0, 10)}`;
	}

	/** A pool that verifies email on sign-up, with one secret-less app client. */
	async createApp({ pool = {}, client = {} } = {}) {
		const created = await this.idp.call('CreateUserPool', {
			PoolName: this.unique('pool'),
			AutoVerifiedAttributes: ['email'],
			...pool,
		});
		const poolId = created.UserPool.Id;
		this.#pools.push(poolId);
		const appClient = await this.idp.call('CreateUserPoolClient', {
			UserPoolId: poolId,
			ClientName: this.unique('app'),
			ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
			...client,
		});
		return { poolId, clientId: appClient.UserPoolClient.ClientId, pool: created.UserPool };
	}

	async stop({ keep = false } = {}) {
		if (this.idp) {
			for (const poolId of this.#pools) {
				try {
					await this.idp.call('DeleteUserPool', { UserPoolId: poolId });
				} catch {
					// already gone, or the server died: reported elsewhere
				}
			}
		}
		const child = this.#child;
		let crashed = false;
		if (child) {
			crashed = child.exitCode !== null;
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
				await exited;
				clearTimeout(timer);
			}
		}
		await this.mail.stop();
		if (!keep && !crashed && !process.env.MONBAN_KEEP_LOGS) {
			fs.rmSync(this.work, { recursive: true, force: true });
		}
		return { crashed, log: this.logPath };
	}
}
