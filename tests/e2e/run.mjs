// Browser end-to-end tests for Circles: Chromium (Debian's, driven by playwright-core) against a
// real `circles serve` started here on a free port with a throwaway data directory.
//
//   CIRCLES_TEST_BINARY=build/circles node tests/e2e/run.mjs [name-filter]
//
// Environment:
//   CIRCLES_TEST_BINARY   the server binary (default: build/circles)
//   CHROMIUM              the browser (default: /usr/bin/chromium)
//   E2E_DEBUG=1           echo the server's log to stderr
//
// No test framework: each test is a named async function; the runner prints `ok - name` or
// `not ok - name` with the error, then `N passed, N failed`, and exits 1 if anything failed.
// A test whose feature is not there yet throws SkipTest: `ok - name # SKIP why`, not counted.
// Every browser step times out after 15 s; a watchdog ends the whole run after 480 s.  The server
// and the browser are always stopped in `finally`.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, writeFileSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));
const { chromium } = require('playwright-core');
const AXE_PATH = require.resolve('axe-core/axe.min.js');

const BIN = path.resolve(ROOT, process.env.CIRCLES_TEST_BINARY || 'build/circles');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'password-long-enough';
const STEP_MS = 15_000;          // one browser step (navigation, click, request)
const TEST_MS = 90_000;          // one whole test
const RUN_MS = 480_000;          // the whole run
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const FAIL_IMPACTS = new Set(['serious', 'critical']);

// ------------------------------------------------------------------ small helpers

class AssertionError extends Error {}

// Thrown by a test whose feature is not there yet: reported `ok - name # SKIP why`, not counted.
class SkipTest extends Error {}

function assert(cond, msg) {
	if (!cond)
		throw new AssertionError(msg);
}

function assertEq(actual, expected, what) {
	if (actual !== expected)
		throw new AssertionError(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function withTimeout(promise, ms, what) {
	let timer;
	const t = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
	});
	return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.unref();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let uniq = 0;
const email = (who) => `${who}-${process.pid}-${++uniq}@example.org`;

// ------------------------------------------------------------------ the server

class Server {
	constructor() {
		this.dir = mkdtempSync(path.join(os.tmpdir(), 'circles-e2e-'));
		this.env = {
			...process.env,
			CIRCLES_DATA: this.dir,
			CIRCLES_TEST_MODE: '1',
			CIRCLES_ACCESS_LOG: '0',
		};
		this.log = [];
		this.proc = null;
	}

	async start() {
		if (!existsSync(BIN))
			throw new Error(`server binary ${BIN} not found (set CIRCLES_TEST_BINARY)`);
		this.port = await freePort();
		this.base = `http://127.0.0.1:${this.port}`;
		this.env.CIRCLES_LISTEN = `127.0.0.1:${this.port}`;
		this.proc = spawn(BIN, ['serve'], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
		const keep = (chunk) => {
			const s = chunk.toString();
			this.log.push(s);
			if (this.log.length > 400)
				this.log.splice(0, 100);
			if (process.env.E2E_DEBUG)
				process.stderr.write(s);
		};
		this.proc.stdout.on('data', keep);
		this.proc.stderr.on('data', keep);
		this.exited = new Promise((resolve) => this.proc.on('exit', (code, sig) => resolve({ code, sig })));
		const deadline = Date.now() + 15_000;
		while (Date.now() < deadline) {
			if (this.proc.exitCode !== null)
				break;
			try {
				const r = await fetch(`${this.base}/healthz`, { signal: AbortSignal.timeout(1000) });
				if (r.status === 200 && (await r.text()).trim() === 'ok')
					return this;
			} catch { /* not up yet */ }
			await sleep(100);
		}
		throw new Error(`server did not become healthy on ${this.base}:\n${this.logTail()}`);
	}

	logTail(n = 30) {
		return this.log.join('').split('\n').slice(-n).join('\n');
	}

	// `circles user add` with the shared test password; returns {email, name, role}.
	addUser(role, name) {
		const who = { email: email(role), name, role, password: PASSWORD };
		execFileSync(BIN, ['user', 'add', who.email, '--role', role, '--name', name], {
			env: this.env, input: PASSWORD + '\n', stdio: ['pipe', 'pipe', 'pipe'], timeout: STEP_MS,
		});
		return who;
	}

	// `circles user add ... --chapter CHAPTER` (the chapter must exist).
	addChapterUser(role, name, chapter) {
		const who = { email: email(role), name, role, password: PASSWORD };
		execFileSync(BIN, ['user', 'add', who.email, '--role', role, '--name', name, '--chapter', chapter], {
			env: this.env, input: PASSWORD + '\n', stdio: ['pipe', 'pipe', 'pipe'], timeout: STEP_MS,
		});
		return who;
	}

	// Any other command line (e.g. `import meeting-guide FILE`); returns its stdout.
	run(...args) {
		return execFileSync(BIN, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: STEP_MS }).toString();
	}

	async stop() {
		if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
			this.proc.kill('SIGTERM');
			const done = await Promise.race([this.exited, sleep(10_000).then(() => null)]);
			if (done === null)
				this.proc.kill('SIGKILL');
		}
		rmSync(this.dir, { recursive: true, force: true });
	}
}

// ------------------------------------------------------------------ browser helpers

let server;
let browser;
const cspViolations = [];       // console errors about CSP, from every context without bypassCSP
const pageErrors = [];          // uncaught page exceptions, reported with (f)
let openContexts = [];

async function newContext(opts = {}) {
	const ctx = await browser.newContext({ baseURL: server.base, locale: 'en-US', ...opts });
	ctx.setDefaultTimeout(STEP_MS);
	ctx.setDefaultNavigationTimeout(STEP_MS);
	ctx.on('page', (page) => watchPage(page, !opts.bypassCSP));
	openContexts.push(ctx);
	return ctx;
}

function watchPage(page, collectCSP) {
	page.on('console', (msg) => {
		const text = msg.text();
		if (collectCSP && /Content[ -]Security[ -]Policy/i.test(text))
			cspViolations.push({ url: page.url(), text });
	});
	page.on('pageerror', (err) => pageErrors.push({ url: page.url(), text: String(err) }));
}

async function newPage(ctx) {
	const page = await ctx.newPage();
	return page;
}

// goto PATH and insist on a 200 (501 from an unfinished handler is a failure, with the body).
async function open(page, p, status = 200) {
	const resp = await page.goto(p, { waitUntil: 'load' });
	assert(resp, `no response for ${p}`);
	if (resp.status() !== status) {
		const body = (await resp.text().catch(() => '')).slice(0, 300);
		throw new AssertionError(`GET ${p}: status ${resp.status()}, expected ${status}: ${body}`);
	}
	return resp;
}

// Submit a form by clicking `button` and wait for the page that answers it.
async function submit(page, button) {
	const [resp] = await Promise.all([
		page.waitForNavigation({ waitUntil: 'load' }),
		button.click(),
	]);
	return resp;
}

async function signInForm(page, who) {
	await open(page, '/login');
	await page.getByLabel('Email').fill(who.email);
	await page.getByLabel('Password', { exact: true }).fill(who.password);
	await submit(page, page.locator('main form[action="/login"] button[type="submit"]'));
	const url = new URL(page.url());
	assertEq(url.pathname, '/', `after signing in as ${who.email}, path`);
	await assertSignedInAs(page, who.name);
}

async function assertSignedInAs(page, name) {
	const h1 = (await page.locator('main h1').first().innerText()).trim();
	assert(h1.includes(name), `expected the member home page greeting ${name}, h1 is ${JSON.stringify(h1)}`);
	assert(await page.locator('form[action="/logout"] button').count() === 1, 'no sign-out button on the page');
}

async function assertSignedOut(page) {
	assert(await page.locator('form[action="/logout"]').count() === 0, 'a sign-out form is still on the page');
	assert(await page.locator('header a[href="/login"]').count() === 1, 'no "Sign in" link in the header');
}

// The language switch, as a person uses it: choose in the labelled select, press the button.
async function switchLanguage(page, code, label = null) {
	const header = page.locator('header');
	const select = label ? header.getByLabel(label, { exact: true }) : header.locator('#lang-select');
	await select.selectOption(code);
	await submit(page, page.locator('form.lang-switch button[type="submit"]'));
	assertEq(await page.evaluate(() => document.documentElement.lang), code, 'html lang after switching');
}

async function ensureLanguage(page, code) {
	if (await page.evaluate(() => document.documentElement.lang) !== code)
		await switchLanguage(page, code);
}

// JSON API inside a browser context (shares its cookies).  Returns {status, json}.
async function api(ctx, method, p, data, csrf) {
	const headers = { Accept: 'application/json' };
	if (csrf)
		headers['X-CSRF-Token'] = csrf;
	const resp = await ctx.request.fetch(p, { method, data, headers, timeout: STEP_MS, failOnStatusCode: false });
	const text = await resp.text();
	let json = null;
	try { json = JSON.parse(text); } catch { /* not JSON */ }
	return { status: resp.status(), json, text };
}

async function apiSignIn(ctx, who) {
	const r = await api(ctx, 'POST', '/api/v1/session', { email: who.email, password: who.password });
	assertEq(r.status, 200, `POST /api/v1/session for ${who.email} (${r.text.slice(0, 200)})`);
	assert(r.json.csrf_token, 'session response has no csrf_token');
	who.id = r.json.user.id;
	return r.json.csrf_token;
}

// The member grants "contact" to the peer over the API and the peer reads it once.
async function grantAndRead(memberCtx, member, peerCtx, peer) {
	const csrf = await apiSignIn(memberCtx, member);
	await apiSignIn(peerCtx, peer);
	const g = await api(memberCtx, 'POST', '/api/v1/me/consents',
		{ grantee_user_id: peer.id, category: 'contact', purpose: 'so my peer supporter can call me' }, csrf);
	assertEq(g.status, 201, `POST /api/v1/me/consents (${g.text.slice(0, 200)})`);
	assertEq(g.json.category, 'contact', 'consent category');
	const r = await api(peerCtx, 'GET', `/api/v1/members/${member.id}/contact`);
	assertEq(r.status, 200, `GET /api/v1/members/${member.id}/contact as the peer supporter (${r.text.slice(0, 200)})`);
	assertEq(r.json.display_name, member.name, 'contact display_name');
	assertEq(r.json.email, member.email, 'contact email');
}

// Run axe-core (WCAG 2.2 AA tags) on the page as it is now; serious/critical violations go to
// `problems`, the rest to `notes`, each naming the page, the rule and up to five elements.
async function axeCheck(page, where, problems, notes) {
	await page.addScriptTag({ path: AXE_PATH });
	const result = await page.evaluate(async (tags) => {
		// eslint-disable-next-line no-undef
		const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
		return { passes: r.passes.length, violations: r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
		})) };
	}, AXE_TAGS);
	assert(result.passes > 0, `axe reported no passing rules on ${where}: did it run?`);
	for (const v of result.violations) {
		const lines = [`${where}: ${v.id} [${v.impact}] ${v.help}`];
		for (const n of v.nodes.slice(0, 5))
			lines.push(`    at ${n.target}\n      ${n.html.replace(/\s+/g, ' ').slice(0, 240)}\n      ${(n.summary || '').replace(/\n/g, ' / ').slice(0, 300)}`);
		if (v.nodes.length > 5)
			lines.push(`    ... and ${v.nodes.length - 5} more elements`);
		(FAIL_IMPACTS.has(v.impact) ? problems : notes).push(lines.join('\n'));
	}
}

// Print the moderate/minor notes; fail with the serious/critical problems.
function axeReport(problems, notes) {
	if (notes.length)
		console.log('# axe notes (moderate/minor, not failing):\n' + notes.map((s) => '#   ' + s.replace(/\n/g, '\n#   ')).join('\n'));
	if (problems.length)
		throw new AssertionError(`${problems.length} serious/critical finding(s):\n` + problems.join('\n'));
}

// ------------------------------------------------------------------ the tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('a) sign up through /signup, sign out, sign in through /login', async () => {
	const ctx = await newContext();
	const page = await newPage(ctx);
	const who = { email: email('signup'), name: 'Mia', password: PASSWORD };

	await open(page, '/signup');
	await page.getByLabel('First name or nickname').fill(who.name);
	await page.getByLabel('Email').fill(who.email);
	await page.getByLabel('New password').fill(who.password);
	await submit(page, page.getByRole('button', { name: 'Create my account' }));
	assertEq(new URL(page.url()).pathname, '/', 'path after signing up');
	await assertSignedInAs(page, who.name);

	await submit(page, page.getByRole('button', { name: 'Sign out' }));
	await assertSignedOut(page);
	// Signed out means signed out: the account page sends us to sign in.
	await page.goto('/account');
	assertEq(new URL(page.url()).pathname, '/login', 'path of /account when signed out');

	await signInForm(page, who);
	await open(page, '/account');
	assert((await page.locator('main').innerText()).includes(who.email), '/account does not show the email');
});

test('b) language switch to Español', async () => {
	const ctx = await newContext();
	const page = await newPage(ctx);
	await open(page, '/');
	assertEq(await page.evaluate(() => document.documentElement.lang), 'en', 'html lang before switching');

	await switchLanguage(page, 'es', 'Language');
	assertEq((await page.locator('main h1').innerText()).trim(), 'No tienes que hacerlo en soledad', 'home h1 in Spanish');
	assert(await page.locator('header').getByLabel('Idioma', { exact: true }).count() === 1, 'no select labelled "Idioma"');
	assert(await page.getByRole('button', { name: 'Cambiar' }).count() === 1, 'no "Cambiar" button');

	// The choice sticks to the next page.
	await open(page, '/login');
	assertEq(await page.evaluate(() => document.documentElement.lang), 'es', 'html lang on /login');
	assertEq((await page.locator('main h1').innerText()).trim(), 'Iniciar sesión', '/login h1 in Spanish');

	// A signed-in member switches too, and back.
	const who = server.addUser('member', 'Lupe');
	const mctx = await newContext();
	const mp = await newPage(mctx);
	await signInForm(mp, who);
	await switchLanguage(mp, 'es', 'Language');
	await open(mp, '/account');
	assertEq((await mp.locator('main h1').first().innerText()).trim(), 'Tu cuenta', '/account h1 in Spanish');
	await switchLanguage(mp, 'en', 'Idioma');
	assertEq(await mp.evaluate(() => document.documentElement.lang), 'en', 'html lang after switching back');
});

test('c) consent for contact, the peer supporter reads it, the member sees it in /privacy/audit', async () => {
	const member = server.addUser('member', 'Mara');
	const peer = server.addUser('peer_supporter', 'Pilar');

	const mctx = await newContext();
	const mp = await newPage(mctx);
	await signInForm(mp, member);
	const pctx = await newContext();

	// Nothing yet: the log is empty of Pilar.
	await open(mp, '/privacy/audit');
	assert(!(await mp.locator('main').innerText()).includes(peer.name), 'audit names the peer before any read');

	await grantAndRead(mctx, member, pctx, peer);

	// The browser page is still signed in as the member (the API sign-in replaced the cookie).
	await open(mp, '/privacy');
	const privacy = await mp.locator('main').innerText();
	assert(privacy.includes(peer.name), `/privacy does not list the consent to ${peer.name}`);

	await open(mp, '/privacy/audit');
	const rows = mp.locator('main table tbody tr');
	const n = await rows.count();
	assert(n >= 1, `/privacy/audit has no rows; main reads: ${(await mp.locator('main').innerText()).slice(0, 300)}`);
	const text = await mp.locator('main table').innerText();
	assert(text.includes(peer.name), `/privacy/audit does not name ${peer.name}: ${text.slice(0, 400)}`);
	assert(await mp.locator('main table tbody time[datetime]').count() >= 1, 'audit rows have no <time datetime>');
});

// axe-core: the pages a member and a visitor see, in English and Spanish, light (and dark in English).
test('d) accessibility (axe-core, WCAG 2.2 AA): no serious or critical violations', async () => {
	const member = server.addUser('member', 'Noa');
	const peer = server.addUser('peer_supporter', 'Teo');
	const problems = [];
	const notes = [];

	// Give the privacy pages something to show (tables), if the privacy API is up.
	{
		const mctx = await newContext();
		const pctx = await newContext();
		try {
			await grantAndRead(mctx, member, pctx, peer);
		} catch (e) {
			notes.push(`(privacy data not set up, tables not checked: ${e.message})`);
		}
	}

	const runs = [
		{ lang: 'en', scheme: 'light' },
		{ lang: 'es', scheme: 'light' },
		{ lang: 'en', scheme: 'dark' },
	];
	for (const { lang, scheme } of runs) {
		const anon = await newContext({ bypassCSP: true, colorScheme: scheme });
		const signed = await newContext({ bypassCSP: true, colorScheme: scheme });
		const ap = await newPage(anon);
		const sp = await newPage(signed);
		await open(ap, '/');
		await ensureLanguage(ap, lang);
		await signInForm(sp, member);
		await ensureLanguage(sp, lang);   // a member's choice is remembered across sign-ins

		const pages = [
			[ap, '/', 'visitor'], [ap, '/login', 'visitor'], [ap, '/signup', 'visitor'],
			[sp, '/', 'member'], [sp, '/account', 'member'], [sp, '/privacy', 'member'],
			[sp, '/privacy/audit', 'member'],
			// Error states: the messages and aria-invalid fields must be accessible too.
			[ap, '/login', 'visitor, wrong password', async (page) => {
				await page.goto('/login');
				await page.locator('main input[name="email"]').fill(email('nobody'));
				await page.locator('main input[name="password"]').fill('not-the-password');
				return submit(page, page.locator('main form[action="/login"] button[type="submit"]'));
			}],
			[ap, '/signup', 'visitor, empty form', async (page) => {
				await page.goto('/signup');
				return submit(page, page.locator('main form[action="/signup"] button[type="submit"]'));
			}],
		];
		for (const [page, p, as, action] of pages) {
			const where = `${p} (${as}, ${lang}, ${scheme})`;
			const resp = action ? await action(page) : await page.goto(p, { waitUntil: 'load' });
			if (action ? resp.status() >= 500 : resp.status() !== 200) {
				problems.push(`${where}: status ${resp.status()}, not checked`);
				continue;
			}
			assertEq(await page.evaluate(() => document.documentElement.lang), lang, `html lang on ${where}`);
			await axeCheck(page, where, problems, notes);
		}
	}
	axeReport(problems, notes);
});

test('e) signing in without JavaScript', async () => {
	const who = server.addUser('member', 'Sol');
	const ctx = await newContext({ javaScriptEnabled: false });
	const page = await newPage(ctx);
	await signInForm(page, who);
	await open(page, '/account');
	await submit(page, page.locator('form[action="/logout"] button'));
	await assertSignedOut(page);
});

// ---- the features that landed later: meetings, check-ins, goals, partners, help now

// A small Meeting Guide feed: the one meeting the filters look for and four near misses.
const FINDER_TARGET = 'Luz de Miércoles en Línea';
const FINDER_DISTRACTORS = [
	'Jueves Sereno en Línea',          // Thursday
	'Mañanitas del Miércoles',         // morning
	'Wednesday Night Online Hope',     // English only
	'Grupo Esperanza Presencial',      // in person
];
let meetingsSeeded = false;

function seedMeetings() {
	if (meetingsSeeded)
		return;
	const online = (name, slug, day, time, types, n) => ({
		name, slug, day, time, end_time: time.replace(/^(\d\d)/, (h) => String(Number(h) + 1).padStart(2, '0')),
		timezone: 'America/New_York', types, attendance_option: 'online', region: 'Online',
		conference_url: `https://zoom.us/j/98765432${n}`,
	});
	const feed = [
		online(FINDER_TARGET, 'e2e-luz-miercoles', 3, '19:30', ['S', 'O'], 10),
		online(FINDER_DISTRACTORS[0], 'e2e-jueves-sereno', 4, '19:30', ['S', 'O'], 11),
		online(FINDER_DISTRACTORS[1], 'e2e-mananitas', 3, '08:00', ['S', 'O'], 12),
		online(FINDER_DISTRACTORS[2], 'e2e-wednesday-hope', 3, '19:30', ['O'], 13),
		{
			name: FINDER_DISTRACTORS[3], slug: 'e2e-esperanza', day: 3, time: '19:30', end_time: '20:30',
			timezone: 'America/New_York', types: ['S', 'O'], attendance_option: 'in_person',
			location: 'Community Hall', address: '12 Main St', city: 'Springfield', state: 'MA',
			postal_code: '01101', country: 'US', region: 'Springfield',
		},
	];
	const file = path.join(server.dir, 'e2e-feed.json');
	writeFileSync(file, JSON.stringify(feed));
	const out = server.run('import', 'meeting-guide', file);
	assert(/added: 5/.test(out), `importing the test feed: ${out}`);
	meetingsSeeded = true;
}

// The accessible name "Action: thing" of a button or link whose ": thing" is visually hidden
// (Chromium computes it with a space before the colon: the hidden span counts as a block).
function actionName(action, thing) {
	const esc = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^${esc(action)}\\s*:\\s*${esc(thing)}$`);
}

async function finderResults(page) {
	return (await page.locator('main ul.cards li.card h3').allInnerTexts()).map((s) => s.trim());
}

// Set the four filters in the finder's form, labelled in the page's language, and submit.
async function findMeetings(page, labels) {
	const form = page.locator('main form[role="search"]');
	await form.getByLabel(labels.day, { exact: true }).selectOption('3');
	await form.getByLabel(labels.time, { exact: true }).selectOption('evening');
	await form.getByLabel(labels.attendance, { exact: true }).selectOption('online');
	await form.getByLabel(labels.lang, { exact: true }).selectOption('es');
	await submit(page, form.getByRole('button', { name: labels.submit, exact: true }));
	const q = new URL(page.url()).searchParams;
	assertEq([q.get('day'), q.get('time'), q.get('attendance'), q.get('lang')].join(','),
		'3,evening,online,es', 'the finder query after submitting');
	const names = await finderResults(page);
	assert(names.includes(FINDER_TARGET), `the finder does not list ${FINDER_TARGET}; it lists ${JSON.stringify(names)}`);
	for (const d of FINDER_DISTRACTORS)
		assert(!names.includes(d), `the finder lists ${d}, which does not pass the filters (${JSON.stringify(names)})`);
	// The form keeps the choices.
	assertEq(await form.getByLabel(labels.day, { exact: true }).inputValue(), '3', 'day select after submitting');
	assertEq(await form.getByLabel(labels.lang, { exact: true }).inputValue(), 'es', 'language select after submitting');
}

test('f) meeting finder: a visitor finds a Spanish online Wednesday-evening meeting (en, es, axe)', async () => {
	seedMeetings();
	const problems = [];
	const notes = [];
	const langs = [
		['en', { day: 'Day', time: 'Time of day', attendance: 'How to attend', lang: 'Language', submit: 'Show meetings' }],
		['es', { day: 'Día', time: 'Momento del día', attendance: 'Cómo asistir', lang: 'Idioma', submit: 'Ver reuniones' }],
	];
	for (const [lang, labels] of langs) {
		const ctx = await newContext({ bypassCSP: true });
		const page = await newPage(ctx);
		await open(page, '/meetings');
		await ensureLanguage(page, lang);
		await open(page, '/meetings');
		await assertSignedOut(page);
		assertEq(await page.evaluate(() => document.documentElement.lang), lang, 'html lang on /meetings');
		await axeCheck(page, `/meetings (visitor, ${lang})`, problems, notes);
		await findMeetings(page, labels);
		await axeCheck(page, `/meetings with filters (visitor, ${lang})`, problems, notes);
		// The card leads to the meeting's own page.
		await submit(page, page.locator('main ul.cards li.card h3 a', { hasText: FINDER_TARGET }));
		assertEq(new URL(page.url()).pathname, '/meetings/e2e-luz-miercoles', 'path of the meeting page');
		assert((await page.locator('main h1').innerText()).includes(FINDER_TARGET), 'the meeting page h1 does not name it');
	}
	axeReport(problems, notes);
});

test('g) check-ins: a member checks in and sees it in /checkins/history (axe)', async () => {
	const member = server.addUser('member', 'Dani');
	const problems = [];
	const notes = [];
	const ctx = await newContext({ bypassCSP: true });
	const page = await newPage(ctx);
	await signInForm(page, member);
	await open(page, '/checkins');
	await axeCheck(page, '/checkins (member, empty)', problems, notes);

	const form = page.locator('main form[action="/checkins"]');
	await form.getByRole('group', { name: 'How are you feeling overall?' }).locator('input[name="mood"][value="4"]').check();
	await form.getByLabel('Cravings right now (0–10)').fill('3');
	await form.getByLabel('Hours of sleep last night').fill('7.5');
	await submit(page, form.getByRole('button', { name: 'Save check-in' }));
	assertEq(new URL(page.url()).pathname, '/checkins', 'path after saving a check-in');
	assert(await page.locator('[role="status"].flash-notice').count() === 1, 'no notice after saving a check-in');
	const recent = page.locator('main section[aria-labelledby="recent-h"] table tbody tr');
	assertEq(await recent.count(), 1, 'rows in "recent check-ins" on /checkins');
	const cells = (await recent.first().locator('td').allInnerTexts()).map((s) => s.trim());
	assert(cells[0].startsWith('4') && cells[1] === '3' && cells[3].startsWith('7.5'),
		`the new check-in row reads ${JSON.stringify(cells)}`);
	await axeCheck(page, '/checkins (member, after a check-in)', problems, notes);

	await submit(page, page.getByRole('link', { name: 'Your trends' }).or(page.locator('main a[href="/checkins/history"]')).first());
	assertEq(new URL(page.url()).pathname, '/checkins/history', 'path of the history link');
	// A chart (inline SVG) for the measures answered, each pointing to the table.
	assert(await page.locator('main figure svg').count() >= 1, '/checkins/history shows no chart');
	const weeks = page.locator('main section[aria-labelledby="weeks-h"] table');
	assert(await weeks.locator('thead th[scope="col"]').count() === 6, 'the weekly table has no column headers');
	const weekText = await weeks.locator('tbody').innerText();
	assert(/\b1\b/.test(weekText) && weekText.includes('3'), `the weekly table does not show the check-in: ${weekText.slice(0, 300)}`);
	assertEq(await page.locator('main section[aria-labelledby="recent-h"] table tbody tr').count(), 1,
		'rows in "recent check-ins" on /checkins/history');
	await axeCheck(page, '/checkins/history (member)', problems, notes);
	axeReport(problems, notes);
});

test('h) goals: a member adds a goal on /goals and marks it done', async () => {
	const member = server.addUser('member', 'Gabi');
	const goal = 'Call my sponsor on Tuesday';
	const ctx = await newContext();
	const page = await newPage(ctx);
	await signInForm(page, member);
	await open(page, '/goals');
	const openList = page.locator('main section[aria-labelledby="open-h"]');
	const doneList = page.locator('main section[aria-labelledby="done-h"]');
	assert(!(await openList.innerText()).includes(goal), 'the goal is listed before adding it');

	await page.getByLabel('A next step').fill(goal);
	await submit(page, page.getByRole('button', { name: 'Add goal' }));
	assertEq(new URL(page.url()).pathname, '/goals', 'path after adding a goal');
	assert((await openList.innerText()).includes(goal), `"Still to do" does not list the new goal: ${await openList.innerText()}`);
	assert(!(await doneList.innerText()).includes(goal), '"Done" lists the goal before it is done');

	await submit(page, openList.getByRole('button', { name: actionName('Mark done', goal) }));
	assertEq(new URL(page.url()).pathname, '/goals', 'path after marking a goal done');
	assert((await doneList.innerText()).includes(goal), `"Done" does not list the goal: ${await doneList.innerText()}`);
	assert(!(await openList.innerText()).includes(goal), '"Still to do" still lists the goal');
	assert(await doneList.getByRole('button', { name: actionName('Not done yet', goal) }).count() === 1, 'no "Not done yet" button');
});

test('i) partners: a member invites someone in the chapter, who accepts (axe)', async () => {
	const problems = [];
	const notes = [];
	const admin = server.addUser('admin', 'Ada');
	const actx = await newContext();
	const csrf = await apiSignIn(actx, admin);
	const chapter = `North ${process.pid}`;
	const r = await api(actx, 'POST', '/api/v1/admin/chapters', { name: chapter }, csrf);
	assert(r.status === 201 || r.status === 200, `POST /api/v1/admin/chapters: ${r.status} ${r.text.slice(0, 200)}`);
	const rosa = server.addChapterUser('member', 'Rosa', chapter);
	const beto = server.addChapterUser('member', 'Beto', chapter);

	const rctx = await newContext({ bypassCSP: true });
	const rp = await newPage(rctx);
	await signInForm(rp, rosa);
	await open(rp, '/partnerships');
	await axeCheck(rp, '/partnerships (member, nobody yet)', problems, notes);
	const form = rp.locator('main form[action="/partnerships"][method="post"]');
	await form.getByLabel('Who', { exact: true }).selectOption({ label: beto.name });
	await form.getByLabel('My check-ins').or(form.locator('input[name="share_checkins"]')).first().check();
	await submit(rp, form.getByRole('button', { name: 'Send invitation' }));
	assertEq(new URL(rp.url()).pathname, '/partnerships', 'path after proposing');
	const waiting = rp.locator('main section[aria-labelledby="outgoing-h"]');
	assert((await waiting.count()) === 1 && (await waiting.innerText()).includes(beto.name),
		`"Waiting for an answer" does not list ${beto.name}`);

	const bctx = await newContext({ bypassCSP: true });
	const bp = await newPage(bctx);
	await signInForm(bp, beto);
	await open(bp, '/partnerships');
	const incoming = bp.locator('main section[aria-labelledby="incoming-h"] article', { hasText: rosa.name });
	assertEq(await incoming.count(), 1, `invitations from ${rosa.name} on Beto's /partnerships`);
	await axeCheck(bp, '/partnerships (member, with an invitation)', problems, notes);
	await submit(bp, incoming.getByRole('button', { name: actionName('Accept', rosa.name) }));
	assertEq(new URL(bp.url()).pathname, '/partnerships', 'path after accepting');
	const active = bp.locator('main section[aria-labelledby="active-h"]');
	assert((await active.innerText()).includes(rosa.name), `"Your partners" does not list ${rosa.name} after accepting`);
	// Rosa shares her check-ins, so Beto may see them.
	assertEq(await active.getByRole('link', { name: actionName('See their check-ins', rosa.name) }).count(), 1,
		'link to the partner\'s check-ins');
	assertEq(await bp.locator('main section[aria-labelledby="incoming-h"]').count(), 0, 'invitations left after accepting');
	await axeCheck(bp, '/partnerships (member, with a partner)', problems, notes);

	await open(rp, '/partnerships');
	assert((await rp.locator('main section[aria-labelledby="active-h"]').innerText()).includes(beto.name),
		`Rosa's "Your partners" does not list ${beto.name}`);
	assertEq(await rp.locator('main section[aria-labelledby="outgoing-h"]').count(), 0, 'Rosa still waits for an answer');
	axeReport(problems, notes);
});

test('j) "I need help now": a member presses it and sees the crisis lines', async () => {
	const layout = readFileSync(path.join(ROOT, 'templates', 'layout.mustache'), 'utf8');
	if (!/help-now/.test(layout))
		throw new SkipTest('templates/layout.mustache has no help-now button yet');
	const member = server.addUser('member', 'Alex');
	const ctx = await newContext();
	const page = await newPage(ctx);
	await signInForm(page, member);
	const button = page.locator('body > :not(main) form[action="/help-now"] button, body > :not(main) a[href="/help-now"], '
		+ 'header form[action="/help-now"] button, header a[href="/help-now"], footer a[href="/help-now"]').first();
	assert(await button.count() === 1, 'the layout mentions help-now but the member home page has no help-now button');
	await submit(page, button);
	assertEq(new URL(page.url()).pathname.startsWith('/help-now'), true, `path after pressing help now: ${page.url()}`);
	const tel = await page.locator('main a[href^="tel:"]').count();
	assert(tel >= 1, `no crisis line (tel: link) on ${page.url()}: ${(await page.locator('main').innerText()).slice(0, 300)}`);
});

test('k) Content-Security-Policy on every page, no CSP violations in the console', async () => {
	const member = server.addUser('member', 'Iris');
	const problems = [];
	for (const lang of ['en', 'es']) {
		const anon = await newContext();
		const signed = await newContext();
		const ap = await newPage(anon);
		const sp = await newPage(signed);
		await open(ap, '/');
		await ensureLanguage(ap, lang);
		await signInForm(sp, member);
		await ensureLanguage(sp, lang);   // a member's choice is remembered across sign-ins
		const pages = [
			[ap, '/'], [ap, '/login'], [ap, '/signup'], [ap, '/meetings'],
			[sp, '/'], [sp, '/account'], [sp, '/privacy'], [sp, '/privacy/audit'],
			[sp, '/checkins'], [sp, '/checkins/history'], [sp, '/goals'], [sp, '/partnerships'],
		];
		for (const [page, p] of pages) {
			const resp = await page.goto(p, { waitUntil: 'load' });
			const csp = resp.headers()['content-security-policy'];
			if (!csp) {
				problems.push(`${p} (${lang}): no Content-Security-Policy header (status ${resp.status()})`);
				continue;
			}
			if (/unsafe-inline|unsafe-eval/.test(csp))
				problems.push(`${p} (${lang}): CSP allows unsafe-*: ${csp}`);
			if (!/script-src 'self'/.test(csp) && !/default-src 'self'/.test(csp))
				problems.push(`${p} (${lang}): CSP does not restrict scripts: ${csp}`);
			// Give deferred scripts (htmx, app.js) a moment to run and complain.
			await page.waitForLoadState('networkidle').catch(() => {});
		}
	}
	// Violations from every earlier test's ordinary (non-bypass) contexts count too.
	for (const v of cspViolations)
		problems.push(`CSP violation on ${v.url}: ${v.text}`);
	for (const e of pageErrors)
		problems.push(`uncaught page error on ${e.url}: ${e.text}`);
	if (problems.length)
		throw new AssertionError(problems.join('\n'));
});

test('l) circles: a member joins a circle, RSVPs and checks in with the session code (axe)', async () => {
	const problems = [];
	const notes = [];
	// Tuesday 21 May 2030, 18:30 UTC: half an hour before the circle's session.
	const session = Date.UTC(2030, 4, 21, 19, 0) / 1000;
	const clock = async (set) => {
		const c = await api(anon, 'POST', '/api/v1/test/clock', set === null ? { reset: true } : { set });
		assertEq(c.status, 200, `POST /api/v1/test/clock (${c.text.slice(0, 200)})`);
	};
	const anon = await newContext();
	await clock(session - 30 * 60);
	try {
		const fac = server.addUser('facilitator', 'Fabiola');
		const coord = server.addUser('coordinator', 'Cora');
		const member = server.addUser('member', 'Marisol');
		const fctx = await newContext({ bypassCSP: true });
		const fcsrf = await apiSignIn(fctx, fac);
		const circleName = `Tuesday evening circle ${process.pid}`;
		const r = await api(fctx, 'POST', '/api/v1/circles', {
			name: circleName, purpose: 'Support between meetings.', norms: 'Listen without fixing.',
			agreement: 'What is shared here stays here.', membership: 'open' }, fcsrf);
		assertEq(r.status, 201, `POST /api/v1/circles (${r.text.slice(0, 200)})`);
		const cid = r.json.id;
		const cctx = await newContext();
		const ccsrf = await apiSignIn(cctx, coord);
		const m = await api(cctx, 'POST', '/api/v1/meetings', {
			name: `Tuesday circle meeting ${process.pid}`, day: 2, time: '19:00', end_time: '20:00',
			timezone: 'UTC', circle_id: cid }, ccsrf);
		assertEq(m.status, 201, `POST /api/v1/meetings (${m.text.slice(0, 200)})`);

		// The member reads the circle page and joins, accepting the agreement.
		const mctx = await newContext({ bypassCSP: true });
		const mp = await newPage(mctx);
		await signInForm(mp, member);
		await open(mp, `/circles/${cid}`);
		assertEq((await mp.locator('main h1').first().innerText()).trim(), circleName, 'circle page heading');
		await axeCheck(mp, `/circles/${cid} (member, not joined)`, problems, notes);
		const join = mp.locator(`main form[action="/circles/${cid}/join"]`);
		await join.getByLabel('I have read the confidentiality agreement and I accept it.').check();
		await submit(mp, join.getByRole('button', { name: 'Join the circle' }));
		assertEq(new URL(mp.url()).pathname, `/circles/${cid}`, 'path after joining');
		assertEq(await mp.locator(`main form[action="/circles/${cid}/join"]`).count(), 0, 'join form still shown after joining');

		// RSVP to the next session.
		const rsvp = mp.locator(`main form[action="/circles/${cid}/rsvp"]`).first();
		await submit(mp, rsvp.getByRole('button', { name: "I'm coming" }));
		assertEq(new URL(mp.url()).pathname, `/circles/${cid}`, 'path after RSVP');
		assertEq(await mp.locator(`main form[action="/circles/${cid}/rsvp"] button[value="yes"][aria-pressed="true"]`).count(), 1,
			'"I\'m coming" is not marked as chosen after RSVP');
		await axeCheck(mp, `/circles/${cid} (member, joined, RSVP)`, problems, notes);

		// Ten minutes into the session the facilitator sees the code; the member types it.
		await clock(session + 10 * 60);
		const fp = await newPage(fctx);
		await open(fp, `/circles/${cid}`);
		const codeEl = fp.locator('main .session-code').first();
		assertEq(await codeEl.count(), 1, 'no session code on the facilitator\'s circle page');
		const code = (await codeEl.innerText()).trim();
		assert(/^[A-Z0-9]{6}$/.test(code), `the session code reads ${JSON.stringify(code)}`);
		await axeCheck(fp, `/circles/${cid} (facilitator, during the session)`, problems, notes);

		await open(mp, `/circles/${cid}`);
		assertEq(await mp.locator('main .session-code').count(), 0, 'the member sees the session code');
		const checkin = mp.locator(`main form[action="/circles/${cid}/checkin"]`);
		await checkin.getByLabel('Session code').fill(code);
		await submit(mp, checkin.getByRole('button', { name: 'Check in' }));
		assertEq(new URL(mp.url()).pathname, `/circles/${cid}`, 'path after checking in');
		assert((await mp.locator('main').innerText()).includes('You were there.'),
			'the circle page does not say the member was there after checking in');
		await axeCheck(mp, `/circles/${cid} (member, checked in)`, problems, notes);
		await open(mp, '/attendance');
		assert((await mp.locator('main table').innerText()).includes(circleName),
			'/attendance does not list the circle');
		await axeCheck(mp, '/attendance (member)', problems, notes);
	} finally {
		await clock(null);
	}
	axeReport(problems, notes);
});

// -- helper meet: e2e tests --

// -- helper match: e2e tests --

// -- helper safety: e2e tests --

// ------------------------------------------------------------------ the runner

async function main() {
	const filter = process.argv[2];
	let passed = 0;
	let failed = 0;
	let skipped = 0;
	const watchdog = setTimeout(() => {
		console.log(`not ok - the whole run took longer than ${RUN_MS / 1000} s`);
		cleanup().finally(() => process.exit(1));
	}, RUN_MS);
	watchdog.unref();

	try {
		server = await new Server().start();
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			timeout: 30_000,
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
				'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		for (const t of tests) {
			if (filter && !t.name.includes(filter))
				continue;
			const started = Date.now();
			try {
				await withTimeout(t.fn(), TEST_MS, t.name);
				passed++;
				console.log(`ok - ${t.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
			} catch (e) {
				if (e instanceof SkipTest) {
					skipped++;
					console.log(`ok - ${t.name} # SKIP ${e.message}`);
					continue;
				}
				failed++;
				console.log(`not ok - ${t.name}`);
				const msg = e instanceof AssertionError ? e.message : (e.stack || String(e));
				console.log(msg.split('\n').map((l) => '#   ' + l).join('\n'));
				if (server.proc && server.proc.exitCode !== null)
					console.log(`#   the server exited (${server.proc.exitCode}); log:\n${server.logTail()}`);
			} finally {
				const ctxs = openContexts;
				openContexts = [];
				await Promise.all(ctxs.map((c) => c.close().catch(() => {})));
			}
		}
	} catch (e) {
		failed++;
		console.log(`not ok - setup\n#   ${(e.stack || String(e)).replace(/\n/g, '\n#   ')}`);
	} finally {
		await cleanup();
		clearTimeout(watchdog);
	}
	if (skipped)
		console.log(`# ${skipped} skipped`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

let cleaning = null;
function cleanup() {
	if (!cleaning) {
		cleaning = (async () => {
			if (browser)
				await withTimeout(browser.close(), 10_000, 'closing the browser').catch(() => {});
			if (server)
				await server.stop().catch(() => {});
		})();
	}
	return cleaning;
}

process.on('SIGINT', () => { cleanup().finally(() => process.exit(130)); });
process.on('SIGTERM', () => { cleanup().finally(() => process.exit(143)); });

await main();
