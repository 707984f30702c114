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
	// a page under the real CSP may have loaded axe itself (loadAxeSameOrigin)
	if (!(await page.evaluate(() => typeof window.axe !== 'undefined')))
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

test('meet) a coordinator adds a weekly Spanish online meeting with the form; a visitor finds it (axe)', async () => {
	const problems = [];
	const notes = [];
	const cora = server.addUser('coordinator', 'Coral');
	const name = `Grupo Sereno ${process.pid}`;
	const ctx = await newContext({ bypassCSP: true });    // for axe's script
	const page = await newPage(ctx);
	await signInForm(page, cora);
	// From the staff home to the meetings pages, to the form.
	await submit(page, page.locator('main a[href="/coordinator/meetings"]'));
	assertEq(new URL(page.url()).pathname, '/coordinator/meetings', 'path of the coordinator list');
	await axeCheck(page, '/coordinator/meetings', problems, notes);
	await submit(page, page.locator('main a[href="/coordinator/meetings/new"]'));
	await axeCheck(page, '/coordinator/meetings/new', problems, notes);
	const form = page.locator('main form[action="/coordinator/meetings"]');
	// A first try without a time zone: the error sits beside it, the rest is kept.
	await form.getByLabel('Name (needed)').fill(name);
	await form.getByLabel('Every week, on one or more days').check();
	await form.getByLabel('Tuesday').check();
	await form.getByLabel('Thursday').check();
	await form.getByLabel('Start time').fill('19:30');
	await form.getByLabel('End time').fill('20:45');
	await form.getByLabel('Online', { exact: true }).check();
	await form.getByLabel('Link to join online').fill('https://meet.example.org/sereno');
	await form.getByLabel('Spanish').check();
	await form.getByLabel('Open', { exact: true }).check();
	await submit(page, form.getByRole('button', { name: 'Add the meeting' }));
	assert((await page.locator('main .error-summary').innerText()).includes('time zone'),
		'the error summary does not name the time zone');
	assertEq(await page.locator('#timezone').getAttribute('aria-invalid'), 'true', 'time zone marked invalid');
	assertEq(await page.locator('#name').inputValue(), name, 'the name kept after the error');
	assert(await page.locator('#days-2').isChecked(), 'Tuesday kept after the error');
	await axeCheck(page, '/coordinator/meetings (refused form)', problems, notes);
	await page.locator('#timezone').selectOption('America/New_York');
	await submit(page, page.locator('main form[action="/coordinator/meetings"]').getByRole('button', { name: 'Add the meeting' }));
	const path = new URL(page.url()).pathname;
	assert(path.startsWith('/coordinator/meetings/grupo-sereno'), `path after adding: ${path}`);
	assert((await page.locator('main').innerText()).includes('The meeting was added.'), 'no notice after adding');
	await axeCheck(page, `${path} (the meeting's coordinator page)`, problems, notes);

	// A visitor finds it: Spanish, online, Thursday evening.
	const vctx = await newContext({ bypassCSP: true });
	const vp = await newPage(vctx);
	await open(vp, '/meetings?day=4&time=evening&attendance=online&lang=es');
	await assertSignedOut(vp);
	const card = vp.locator('main ul.cards li.card', { hasText: name });
	assertEq(await card.count(), 1, 'the new meeting among the finder results');
	assert((await card.innerText()).includes('19:30'), 'the card shows the start time');
	await axeCheck(vp, '/meetings (finds the new meeting)', problems, notes);
	await submit(vp, card.locator('h3 a'));
	assert((await vp.locator('main').innerText()).includes('https://meet.example.org/sereno') ||
		await vp.locator('main a[href="https://meet.example.org/sereno"]').count() === 1,
		'the meeting page does not give the link to join');
	axeReport(problems, notes);
});

test('m) matching: a coordinator suggests pairs and approves a match (axe)', async () => {
	const problems = [];
	const notes = [];
	const cora = server.addUser('coordinator', 'Cora');
	const nia = server.addUser('member', 'Nia');
	const omar = server.addUser('peer_supporter', 'Omar');

	// Profiles over the API: Nia looks for a mentor, Omar offers to mentor.
	const nctx = await newContext({ bypassCSP: true });
	let csrf = await apiSignIn(nctx, nia);
	let r = await api(nctx, 'PUT', '/api/v1/me/matching-profile', { opted_in: true, seeks: 'mentor',
		languages: ['en', 'es'], tags: ['parent'], region: 'north' }, csrf);
	assertEq(r.status, 200, `PUT Nia's matching profile (${r.text.slice(0, 200)})`);
	const octx = await newContext();
	csrf = await apiSignIn(octx, omar);
	r = await api(octx, 'PUT', '/api/v1/me/matching-profile', { opted_in: true, seeks: 'mentee',
		capacity: 2, languages: ['en'], tags: ['parent'], region: 'north' }, csrf);
	assertEq(r.status, 200, `PUT Omar's matching profile (${r.text.slice(0, 200)})`);
	const cctx = await newContext({ bypassCSP: true });
	csrf = await apiSignIn(cctx, cora);
	r = await api(cctx, 'PUT', '/api/v1/coordinator/matching/settings', { min_recovery_days: 0 }, csrf);
	assertEq(r.status, 200, `PUT matching settings (${r.text.slice(0, 200)})`);
	r = await api(cctx, 'PUT', `/api/v1/coordinator/matching/mentors/${omar.id}`, { trained: true }, csrf);
	assertEq(r.status, 204, `mark Omar trained (${r.text.slice(0, 200)})`);

	const np = await newPage(nctx);
	await open(np, '/matching/profile');
	await axeCheck(np, '/matching/profile (member, opted in)', problems, notes);
	await np.getByLabel('Latitude (for example 39.10)').fill('north');
	const bad = await submit(np, np.getByRole('button', { name: 'Save my matching profile' }));
	assertEq(bad.status(), 422, 'status of a profile with a bad latitude');
	assert((await np.locator('main').innerText()).includes('Give a latitude between -90 and 90'),
		'no message for the bad latitude');
	await axeCheck(np, '/matching/profile (member, with an error)', problems, notes);

	const cp = await newPage(cctx);
	await open(cp, '/coordinator/matching');
	await axeCheck(cp, '/coordinator/matching (no suggestions yet)', problems, notes);
	await submit(cp, cp.getByRole('button', { name: 'Suggest pairs' }));
	assertEq(new URL(cp.url()).pathname, '/coordinator/matching', 'path after suggesting');
	const pair = cp.locator('main article.match-suggestion', { hasText: 'Nia → Omar' });
	assertEq(await pair.count(), 1, 'suggestions for Nia → Omar');
	const text = await pair.innerText();
	assert(text.includes('shared experience: Being a parent') && text.includes('same area'),
		`the suggestion does not give its reasons: ${JSON.stringify(text)}`);
	await axeCheck(cp, '/coordinator/matching (with a suggestion)', problems, notes);

	await submit(cp, pair.getByRole('button', { name: actionName('Approve', 'Nia → Omar') }));
	assertEq(new URL(cp.url()).pathname, '/coordinator/matching', 'path after approving');
	assert((await cp.locator('main p[role="status"]').innerText()).includes('Approved. Both people have been told.'),
		'no confirmation after approving');
	assertEq(await cp.locator('main article.match-suggestion').count(), 0, 'suggestions left after approving');
	const active = await cp.locator('main section[aria-labelledby="active-h"] table').innerText();
	assert(active.includes('Nia') && active.includes('Omar'), `"Active matches" does not list the pair: ${active}`);
	await axeCheck(cp, '/coordinator/matching (after approving)', problems, notes);

	await open(np, '/matching/profile');
	const mine = await np.locator('main section[aria-labelledby="mine-h"]').innerText();
	assert(mine.includes('Your mentor') && mine.includes('Omar'), `Nia's page does not show her mentor: ${mine}`);
	await axeCheck(np, '/matching/profile (member, with a mentor)', problems, notes);
	axeReport(problems, notes);
});

test('m) matching settings: a coordinator changes a weight and suggests for one chapter (axe)', async () => {
	const problems = [];
	const notes = [];
	const cyd = server.addUser('coordinator', 'Cyd');
	const chapter = await safetyChapter('Matching pool');
	const cctx = await newContext({ bypassCSP: true });
	const cp = await newPage(cctx);
	await signInForm(cp, cyd);
	await open(cp, '/coordinator/matching');
	const tag = cp.getByLabel('Each experience in common (up to 3)');
	assertEq(await tag.inputValue(), '1.5', 'the default weight of a shared experience');

	await tag.fill('lots');
	const bad = await submit(cp, cp.getByRole('button', { name: 'Save settings' }));
	assertEq(bad.status(), 422, 'status of a weight that is not a number');
	assertEq(await cp.getByLabel('Each experience in common (up to 3)').getAttribute('aria-invalid'), 'true',
		'the bad weight is marked');
	assert((await cp.locator('main').innerText()).includes('Give a number of points from 0 to 10'),
		'no message for the bad weight');
	await axeCheck(cp, '/coordinator/matching (a bad weight)', problems, notes);

	await cp.getByLabel('Each experience in common (up to 3)').fill('2.5');
	await submit(cp, cp.getByRole('button', { name: 'Save settings' }));
	assert((await cp.locator('main p[role="status"]').innerText()).includes('Saved.'), 'no confirmation after saving');
	assertEq(await cp.getByLabel('Each experience in common (up to 3)').inputValue(), '2.5', 'the saved weight');
	// Put the default back: the network is shared with the other tests.
	await cp.getByLabel('Each experience in common (up to 3)').fill('1.5');
	await submit(cp, cp.getByRole('button', { name: 'Save settings' }));

	await cp.getByLabel('Whose profiles to match').selectOption({ label: chapter });
	await submit(cp, cp.getByRole('button', { name: 'Suggest pairs' }));
	const url = new URL(cp.url());
	assertEq(url.searchParams.get('done'), 'suggested', 'after suggesting for one chapter');
	const chosen = await cp.getByLabel('Whose profiles to match').locator('option:checked').innerText();
	assertEq(chosen, chapter, 'the chapter stays chosen');
	await axeCheck(cp, '/coordinator/matching (one chapter)', problems, notes);
	axeReport(problems, notes);
});

// The test clock of the server (POST /api/v1/test/clock): {set}, {advance} or {reset: true}.
async function testClock(ctx, body) {
	const c = await api(ctx, 'POST', '/api/v1/test/clock', body);
	assertEq(c.status, 200, `POST /api/v1/test/clock ${JSON.stringify(body)} (${c.text.slice(0, 200)})`);
	return c.json.now;
}

// A new chapter (through an admin) and its name, for people who must share one.
async function safetyChapter(tag) {
	const admin = server.addUser('admin', 'Adela');
	const actx = await newContext();
	const csrf = await apiSignIn(actx, admin);
	const name = `${tag} ${process.pid}`;
	const r = await api(actx, 'POST', '/api/v1/admin/chapters', { name }, csrf);
	assert(r.status === 201 || r.status === 200, `POST /api/v1/admin/chapters: ${r.status} ${r.text.slice(0, 200)}`);
	return name;
}

// The seven Stanley-Brown sections as the form names them, with what the member writes.
const PLAN_SECTIONS = [
	{ token: 'warning_signs', title: 'Warning signs', es: 'Señales de alerta', text: 'Not sleeping two nights in a row' },
	{ token: 'coping', title: 'Things I can do on my own', text: 'Walk the dog around the lake' },
	{ token: 'distractions', title: 'People and places that help me take my mind off things',
		text: 'Aunt Rosa', phone: '+1 555 010 2030', tel: 'tel:+15550102030' },
	{ token: 'helpers', title: 'People I can ask for help', text: 'Sam, my sponsor', phone: '555-0142', tel: 'tel:5550142' },
	{ token: 'professionals', title: 'Professionals and services I can call',
		text: 'Dr. Lee at the clinic', phone: '(555) 010-7788', tel: 'tel:5550107788' },
	{ token: 'safer', title: 'Making my surroundings safer', text: 'Leave the extra pills with my sister' },
	{ token: 'reasons', title: 'My reasons to keep going', es: 'Mis razones para seguir adelante', text: 'My daughter Mia' },
];

async function assertPlanShown(page, where) {
	for (const s of PLAN_SECTIONS) {
		const sec = page.locator(`main .crisis-plan section[aria-labelledby="plan-${s.token}"]`);
		assertEq(await sec.count(), 1, `section ${s.token} on ${where}`);
		const text = await sec.innerText();
		assert(text.includes(s.text), `${where}: section "${s.title}" does not show ${JSON.stringify(s.text)}: ${text.slice(0, 200)}`);
		if (s.tel)
			assertEq(await sec.locator(`a[href="${s.tel}"]`).count(), 1, `${where}: tel link ${s.tel} in ${s.token}`);
	}
}

test('safety 1) crisis plan: written in the browser, shared with a peer, read, unshared, audited, printable (axe en/es)', async () => {
	const problems = [];
	const notes = [];
	const member = server.addUser('member', 'Marisa Plan');
	const peer = server.addUser('peer_supporter', 'Paloma Supporter');
	const mctx = await newContext({ bypassCSP: true });
	const mp = await newPage(mctx);
	await signInForm(mp, member);

	// From the home page to the plan, then to the form.
	await submit(mp, mp.locator('main a[href="/crisis-plan"]').first());
	assertEq(new URL(mp.url()).pathname, '/crisis-plan', 'path of the home page\'s crisis plan link');
	assertEq((await mp.locator('main h1').innerText()).trim(), 'My crisis plan', '/crisis-plan h1');
	await axeCheck(mp, '/crisis-plan (member, no plan, en)', problems, notes);
	await submit(mp, mp.getByRole('button', { name: 'Write my plan' }));
	assertEq(new URL(mp.url()).pathname, '/crisis-plan/edit', 'path of "Write my plan"');
	await axeCheck(mp, '/crisis-plan/edit (member, en)', problems, notes);

	// Every section, through the labelled fields of its fieldset.
	for (const s of PLAN_SECTIONS) {
		const fs = mp.locator('main form.plan-form').getByRole('group', { name: s.title, exact: true });
		assertEq(await fs.count(), 1, `fieldset "${s.title}"`);
		if (s.phone) {
			await fs.getByLabel('Name or place 1', { exact: true }).fill(s.text);
			await fs.getByLabel('Phone number (optional) 1', { exact: true }).fill(s.phone);
		} else {
			await fs.getByLabel('Line 1', { exact: true }).fill(s.text);
		}
	}
	await submit(mp, mp.getByRole('button', { name: 'Save my plan' }));
	assertEq(new URL(mp.url()).pathname, '/crisis-plan', 'path after saving the plan');
	assert((await mp.locator('[role="status"]').allInnerTexts()).join(' ').includes('Your plan is saved.'),
		'no "Your plan is saved." notice');
	await assertPlanShown(mp, '/crisis-plan (member)');
	const saved = await api(mctx, 'GET', '/api/v1/me/crisis-plan');
	assertEq(saved.status, 200, 'GET /api/v1/me/crisis-plan');
	for (const s of PLAN_SECTIONS)
		assertEq(saved.json.plan[s.token].length, 1, `lines saved in ${s.token}`);
	await axeCheck(mp, '/crisis-plan (member, with a plan, en)', problems, notes);

	// Printable: the print button (with JavaScript), and in print only the plan.
	assert(await mp.getByRole('button', { name: 'Print my plan' }).isVisible(), 'no visible "Print my plan" button');
	await mp.emulateMedia({ media: 'print' });
	try {
		for (const sel of ['.safety-bar', 'header.site-header', 'main section[aria-labelledby="share-h"]',
			'main section[aria-labelledby="delete-h"]', 'main .plan-actions'])
			assert(!(await mp.locator(sel).first().isVisible()), `${sel} is printed with the plan`);
		for (const s of PLAN_SECTIONS)
			assert(await mp.locator(`main section[aria-labelledby="plan-${s.token}"]`).isVisible(),
				`section ${s.token} is not printed`);
	} finally {
		await mp.emulateMedia({ media: 'screen' });
	}

	// Share it with the chosen peer supporter, with the page's own control.
	const share = mp.locator('main form[action="/crisis-plan/shares"]');
	await share.getByLabel('Share my plan with', { exact: true }).selectOption({ label: peer.name });
	await submit(mp, share.getByRole('button', { name: 'Share my plan' }));
	assertEq(new URL(mp.url()).pathname, '/crisis-plan', 'path after sharing');
	const shares = mp.locator('main section[aria-labelledby="share-h"] ul.share-list');
	assert((await shares.innerText()).includes(peer.name), `"Who can read my plan" does not list ${peer.name}`);

	// The peer finds it under "Plans shared with you" and reads it, in English and Spanish.
	const pctx = await newContext({ bypassCSP: true });
	const pp = await newPage(pctx);
	await signInForm(pp, peer);
	await open(pp, '/crisis-plan');
	const sharedLink = pp.locator('main section[aria-labelledby="shared-h"] a', { hasText: member.name });
	assertEq(await sharedLink.count(), 1, `link to ${member.name}'s plan on the peer's /crisis-plan`);
	await submit(pp, sharedLink);
	const planPath = new URL(pp.url()).pathname;
	assert(/^\/members\/\d+\/crisis-plan$/.test(planPath), `path of the shared plan: ${planPath}`);
	assertEq((await pp.locator('main h1').innerText()).trim(), `${member.name}'s crisis plan`, 'shared plan h1');
	await assertPlanShown(pp, `${planPath} (peer)`);
	await axeCheck(pp, `${planPath} (peer, en)`, problems, notes);
	await switchLanguage(pp, 'es');
	for (const s of PLAN_SECTIONS.filter((x) => x.es))
		assert((await pp.locator(`main #plan-${s.token}`).innerText()).trim() === s.es, `Spanish title of ${s.token}`);
	await axeCheck(pp, `${planPath} (peer, es)`, problems, notes);
	await switchLanguage(pp, 'en');

	// The member in Spanish: the plan and the form.
	await switchLanguage(mp, 'es');
	await open(mp, '/crisis-plan');
	assertEq((await mp.locator('main h1').innerText()).trim(), 'Mi plan de crisis', '/crisis-plan h1 in Spanish');
	await axeCheck(mp, '/crisis-plan (member, shared, es)', problems, notes);
	await open(mp, '/crisis-plan/edit');
	assertEq(await mp.locator('main form.plan-form fieldset').count(), 7, 'fieldsets on the Spanish form');
	assertEq(await mp.locator('main input[value="My daughter Mia"]').count(), 1, 'the saved line in the Spanish form');
	await axeCheck(mp, '/crisis-plan/edit (member, es)', problems, notes);
	await switchLanguage(mp, 'en');

	// Stop sharing: the peer's next look is a not-found page.
	await open(mp, '/crisis-plan');
	await submit(mp, shares.getByRole('button', { name: actionName('Stop sharing', peer.name) }));
	assert((await mp.locator('[role="status"]').allInnerTexts()).join(' ').includes('stopped sharing'),
		'no notice after stopping sharing');
	assertEq(await mp.locator('main ul.share-list li', { hasText: peer.name }).count(), 0,
		`${peer.name} is still listed after stopping sharing`);
	await open(pp, planPath, 404);
	assertEq((await pp.locator('main h1').innerText()).trim(), "We couldn't find that page", 'h1 of the peer\'s page after unsharing');
	assert(!(await pp.locator('main').innerText()).includes('Sam, my sponsor'), 'the plan shows after unsharing');
	await open(pp, '/crisis-plan');
	assertEq(await pp.locator('main section[aria-labelledby="shared-h"] a', { hasText: member.name }).count(), 0,
		'the plan is still listed as shared with the peer');

	// "Who saw my data" names the peer's read of the plan.
	await submit(mp, mp.getByRole('link', { name: 'See who has read my plan' }));
	assertEq(new URL(mp.url()).pathname, '/privacy/audit', 'path of "See who has read my plan"');
	const reads = mp.locator('main table tbody tr', { hasText: `${peer.name} (peer supporter) viewed your crisis plan` });
	assert(await reads.count() >= 1, `/privacy/audit does not list the peer's read: ${(await mp.locator('main').innerText()).slice(0, 500)}`);
	assertEq(await reads.first().locator('time[datetime]').count(), 1, 'the audit row has no time');
	axeReport(problems, notes);
});

// The rows of /alerts (reloaded) that name the member.
async function alertRows(page, name) {
	await open(page, '/alerts');
	return page.locator('main #alerts-list tbody tr', { hasText: name });
}

test('safety 2) help now: partner and first on call told, escalation by the test clock, acknowledged, safe now (axe)', async () => {
	const problems = [];
	const notes = [];
	const anon = await newContext();
	// Tuesday 4 March 2031, 14:00 UTC; everyone signs in after the clock is set.
	const t0 = Date.UTC(2031, 2, 4, 14, 0) / 1000;
	await testClock(anon, { set: t0 });
	try {
		const chapter = await safetyChapter('Safety help');
		const member = server.addChapterUser('member', 'Amparo Needshelp', chapter);
		const partner = server.addChapterUser('member', 'Benita Partner', chapter);
		const coord = server.addChapterUser('coordinator', 'Consuelo Coordina', chapter);
		const first = server.addUser('peer_supporter', 'Fermín Primero');
		const second = server.addUser('peer_supporter', 'Sagrario Segunda');

		// The member and the partner become accountability partners (API).
		const mctx = await newContext({ bypassCSP: true });
		const bctx = await newContext();
		const mcsrf = await apiSignIn(mctx, member);
		const bcsrf = await apiSignIn(bctx, partner);
		const inv = await api(mctx, 'POST', '/api/v1/partnerships', { partner_id: partner.id, shares: ['checkins'] }, mcsrf);
		assertEq(inv.status, 201, `POST /api/v1/partnerships (${inv.text.slice(0, 200)})`);
		const acc = await api(bctx, 'POST', `/api/v1/partnerships/${inv.json.id}/accept`, { shares: [] }, bcsrf);
		assertEq(acc.status, 200, `accepting the partnership (${acc.text.slice(0, 200)})`);
		const plan = await api(mctx, 'PUT', '/api/v1/me/crisis-plan', { helpers: [{ name: 'Benita', phone: '555-0199' }],
			reasons: ['My garden'] }, mcsrf);
		assertEq(plan.status, 200, `PUT /api/v1/me/crisis-plan (${plan.text.slice(0, 200)})`);

		// The coordinator clears the rota (API) and puts the two supporters on it with the page's form.
		const cctx = await newContext({ bypassCSP: true });
		const ccsrf = await apiSignIn(cctx, coord);
		for (const s of (await api(cctx, 'GET', '/api/v1/oncall')).json.shifts)
			assertEq((await api(cctx, 'DELETE', `/api/v1/oncall/${s.id}`, undefined, ccsrf)).status, 204, 'clearing the rota');
		const settings = await api(cctx, 'GET', '/api/v1/safety/settings');
		assertEq(settings.status, 200, 'GET /api/v1/safety/settings');
		const ackMinutes = settings.json.ack_minutes;
		assert(ackMinutes >= 1 && ackMinutes <= 30, `ack_minutes is ${ackMinutes}`);
		const cp = await newPage(cctx);
		await open(cp, '/oncall');
		for (const [who, position] of [[first, '1'], [second, '2']]) {
			const form = cp.locator('main form[action="/oncall"]');
			await form.getByLabel('Who', { exact: true }).selectOption({ label: who.name });
			await form.getByLabel('From', { exact: true }).fill('2031-03-04T13:00');
			await form.getByLabel('Until', { exact: true }).fill('2031-03-05T13:00');
			await form.getByLabel('Order in the rota', { exact: true }).fill(position);
			await submit(cp, form.getByRole('button', { name: 'Add the shift' }));
			assertEq(new URL(cp.url()).pathname, '/oncall', 'path after adding a shift');
			assert((await cp.locator('[role="status"]').allInnerTexts()).join(' ').includes('The shift is on the rota.'),
				`no notice after adding ${who.name}'s shift: ${(await cp.locator('main').innerText()).slice(0, 300)}`);
		}
		for (const who of [first, second])
			assert((await cp.locator('main table tbody tr', { hasText: who.name }).innerText()).includes('on call now'),
				`${who.name} is not on call now on /oncall`);
		await axeCheck(cp, '/oncall (coordinator)', problems, notes);

		// The member presses "I need help now" in the bar above the page.
		const mp = await newPage(mctx);
		await open(mp, '/');
		await submit(mp, mp.locator('.safety-bar').getByRole('button', { name: 'I need help now' }));
		assertEq(new URL(mp.url()).pathname, '/help-now', 'path after pressing "I need help now"');
		const main = mp.locator('main');
		assert(await main.locator('section.crisis-lines a[href="tel:988"]').count() === 1, 'no call link to 988');
		assert(await main.locator('section.crisis-lines a[href="sms:988"]').count() === 1, 'no text link to 988');
		assert((await main.locator('section[aria-labelledby="myplan-h"]').innerText()).includes('My garden'),
			'the help page does not show the member\'s plan');
		assert((await main.locator('#help-status').innerText()).includes("We've let your supporters know"),
			'the help page does not say the supporters were told');
		await axeCheck(mp, '/help-now (member, alert open)', problems, notes);

		// The first on call sees it in the app; the second, not yet.
		const fctx = await newContext({ bypassCSP: true });
		const fp = await newPage(fctx);
		await signInForm(fp, first);
		await submit(fp, fp.locator('main a[href="/alerts"]'));
		let rows = fp.locator('main #alerts-list tbody tr', { hasText: member.name });
		assertEq(await rows.count(), 1, `${member.name} on the first on call's /alerts`);
		assert((await rows.innerText()).includes('Waiting for an answer'), `the alert row reads ${await rows.innerText()}`);
		await axeCheck(fp, '/alerts (first on call)', problems, notes);
		const sctx = await newContext({ bypassCSP: true });
		const sp = await newPage(sctx);
		await signInForm(sp, second);
		assertEq(await (await alertRows(sp, member.name)).count(), 0, 'the second on call sees the alert before escalation');

		// Nobody answers within the network's minutes: the clock moves, the job worker escalates.
		await testClock(anon, { advance: ackMinutes * 60 + 1 });
		const deadline = Date.now() + 10_000;
		while ((await (await alertRows(sp, member.name)).count()) === 0) {
			assert(Date.now() < deadline, 'the alert did not reach the second on call within 10 s of moving the clock');
			await sleep(200);
		}
		rows = sp.locator('main #alerts-list tbody tr', { hasText: member.name });
		await submit(sp, rows.getByRole('link', { name: member.name }));
		assert(/^\/alerts\/\d+$/.test(new URL(sp.url()).pathname), `path of the alert: ${sp.url()}`);
		const alertPath = new URL(sp.url()).pathname;
		assertEq((await sp.locator('main h1').innerText()).trim(), `${member.name} asked for help`, 'alert page h1');
		await axeCheck(sp, `${alertPath} (second on call, open)`, problems, notes);
		await submit(sp, sp.getByRole('button', { name: "I'm on it" }));
		assert((await sp.locator('[role="status"]').allInnerTexts()).join(' ').includes("They can see you're on it"),
			'no notice after acknowledging');
		assert((await sp.locator('main').innerText()).includes(`${second.name} answered.`), 'the alert does not say who answered');

		// The member's page says someone is coming, and the timeline so far, with times.
		await open(mp, '/help-now');
		const status = mp.locator('main #help-status');
		assert((await status.innerText()).includes(`${second.name} has seen your message and is reaching out to you.`),
			`the member's help page does not say ${second.name} is coming: ${(await status.innerText()).slice(0, 400)}`);
		const expected = [
			'You asked for help',
			`${partner.name} was told (accountability partner)`,
			`${first.name} was told (on call)`,
			'Nobody had answered yet, so the next person was told',
			`${second.name} was told (on call)`,
			`${second.name} answered`,
		];
		const steps = async (page) => {
			const items = page.locator('main ol.timeline li');
			const out = [];
			for (let i = 0; i < await items.count(); i++) {
				const li = items.nth(i);
				const iso = await li.locator('time').getAttribute('datetime');
				out.push({ words: (await li.innerText()).split(' · ').slice(1).join(' · ').trim(), at: Date.parse(iso) / 1000 });
			}
			return out;
		};
		let tl = await steps(mp);
		const words = tl.map((s) => s.words);
		for (const w of expected)
			assert(words.includes(w), `the member's timeline lacks "${w}": ${JSON.stringify(words)}`);
		assert(words.indexOf('You asked for help') === 0 && words.indexOf(`${second.name} answered`) === words.length - 1,
			`timeline order: ${JSON.stringify(words)}`);
		for (const s of tl)
			assert(Number.isFinite(s.at) && s.at >= t0 - 60, `a timeline step without a sensible time: ${JSON.stringify(s)}`);
		const at = (w) => tl.find((s) => s.words === w).at;
		assert(at('Nobody had answered yet, so the next person was told') - at('You asked for help') >= ackMinutes * 60,
			`escalated too early: ${JSON.stringify(tl)}`);
		assert(tl.every((s, i) => i === 0 || s.at >= tl[i - 1].at), `timeline times not in order: ${JSON.stringify(tl)}`);
		await axeCheck(mp, '/help-now (member, acknowledged)', problems, notes);

		// "I'm safe now": closed; the member sees the whole timeline, the supporters see it too.
		await submit(mp, status.getByRole('button', { name: "I'm safe now" }));
		assertEq(new URL(mp.url()).pathname, '/help-now', 'path after "I\'m safe now"');
		assert((await mp.locator('[role="status"]').allInnerTexts()).join(' ').includes("Thank you for letting us know you're safe."),
			'no notice after "I\'m safe now"');
		tl = await steps(mp);
		assertEq(tl.map((s) => s.words).join(' | '), [...expected, "You said you're safe now"].join(' | '),
			'the member\'s timeline after "I\'m safe now"');
		assertEq(await mp.locator('main form[action="/help-now/safe"]').count(), 0, '"I\'m safe now" still offered');
		await axeCheck(mp, '/help-now (member, safe now)', problems, notes);
		await open(fp, alertPath);
		assert((await fp.locator('main').innerText()).includes('Safe now'), 'the first on call\'s alert page does not say safe now');
		assert((await fp.locator('main ol.timeline').innerText()).includes("They said they're safe now"),
			'the supporter\'s timeline lacks "They said they\'re safe now"');
		assertEq(await fp.getByRole('button', { name: "I'm on it" }).count(), 0, '"I\'m on it" still offered after safe now');
	} finally {
		await testClock(anon, { reset: true });
	}
	axeReport(problems, notes);
});

test('safety 3) outreach: check-ins stop, a peer claims, records a contact and resolves; the member sees no label (axe)', async () => {
	const problems = [];
	const notes = [];
	const DAY = 86400;
	const anon = await newContext();
	// Monday 2 June 2031, 09:00 UTC: six daily check-ins, then five days of silence.
	const t0 = Date.UTC(2031, 5, 2, 9, 0) / 1000;
	await testClock(anon, { set: t0 });
	try {
		const member = server.addUser('member', 'Olivia Quiet');
		const peer = server.addUser('peer_supporter', 'Rafael Reaches');
		const coord = server.addUser('coordinator', 'Celia Evaluates');
		const mctx = await newContext({ bypassCSP: true });
		let mcsrf = await apiSignIn(mctx, member);
		await apiSignIn(await newContext(), peer);       // for peer.id
		const g = await api(mctx, 'POST', '/api/v1/me/consents',
			{ grantee_user_id: peer.id, category: 'checkins', purpose: 'peer support' }, mcsrf);
		assertEq(g.status, 201, `POST /api/v1/me/consents (${g.text.slice(0, 200)})`);
		for (let day = 0; day < 6; day++) {
			if (day > 0) {
				await testClock(anon, { set: t0 + day * DAY });
				mcsrf = await apiSignIn(mctx, member);      // a day later the session has lapsed
			}
			const r = await api(mctx, 'POST', '/api/v1/checkins', { mood: 4, craving: 2 }, mcsrf);
			assertEq(r.status, 201, `check-in on day ${day} (${r.text.slice(0, 200)})`);
		}
		await testClock(anon, { set: t0 + 10 * DAY });
		const cctx = await newContext();
		const ccsrf = await apiSignIn(cctx, coord);
		const ev = await api(cctx, 'POST', '/api/v1/outreach/evaluate', undefined, ccsrf);
		assertEq(ev.status, 200, `POST /api/v1/outreach/evaluate (${ev.text.slice(0, 200)})`);
		const reason = 'No check-in for 5 days; they usually check in every day.';

		// The peer supporter finds it in the queue with its reason and claims it.
		const pctx = await newContext({ bypassCSP: true });
		const pp = await newPage(pctx);
		await signInForm(pp, peer);
		await submit(pp, pp.locator('header nav a[href="/outreach"]'));
		const item = pp.locator('main li.outreach-item', { hasText: member.name });
		assertEq(await item.count(), 1, `outreach items for ${member.name}`);
		assert((await item.innerText()).includes(reason), `the item does not say why: ${await item.innerText()}`);
		await axeCheck(pp, '/outreach (peer supporter)', problems, notes);
		await submit(pp, item.getByRole('button', { name: actionName("I'll reach out", member.name) }));
		const itemPath = new URL(pp.url()).pathname;
		assert(/^\/outreach\/\d+$/.test(itemPath), `path after claiming: ${pp.url()}`);
		assert((await pp.locator('[role="status"]').allInnerTexts()).join(' ').includes("It's yours"), 'no notice after claiming');
		assertEq((await pp.locator('main h1').innerText()).trim(), `Reaching out to ${member.name}`, 'item page h1');
		assert((await pp.locator('main').innerText()).includes(`taken by ${peer.name}`), 'the item does not say who took it');
		await axeCheck(pp, `${itemPath} (peer supporter, claimed)`, problems, notes);

		// A phone call, reached, with a note; then closed.
		const note = 'Talked about the new job; going to the Thursday meeting';
		const rec = pp.locator(`main form[action="${itemPath}/contacts"]`);
		await rec.getByLabel('How did you reach out?').selectOption({ label: 'Phone call' });
		await rec.getByRole('group', { name: 'Did you reach them?' }).getByLabel('Yes, we talked').check();
		await rec.getByLabel('Note (optional)').fill(note);
		await submit(pp, rec.getByRole('button', { name: 'Save the contact' }));
		assertEq(new URL(pp.url()).pathname, itemPath, 'path after recording a contact');
		assert((await pp.locator('[role="status"]').allInnerTexts()).join(' ').includes('The contact is recorded.'),
			'no notice after recording a contact');
		const contacts = await pp.locator('main section[aria-labelledby="contacts-h"]').innerText();
		for (const w of [note, 'Phone call', 'Yes, we talked', peer.name])
			assert(contacts.includes(w), `"Contacts so far" lacks ${JSON.stringify(w)}: ${contacts}`);
		assertEq(await pp.locator('main section[aria-labelledby="contacts-h"] li time[datetime]').count(), 1,
			'the contact has no <time datetime>');
		await axeCheck(pp, `${itemPath} (peer supporter, contact recorded)`, problems, notes);
		const res = pp.locator(`main form[action="${itemPath}/resolve"]`);
		await res.getByLabel('Outcome').selectOption({ label: "We talked and they're okay for now" });
		await submit(pp, res.getByRole('button', { name: 'Close the item' }));
		assert((await pp.locator('[role="status"]').allInnerTexts()).join(' ').includes('The item is closed.'),
			'no notice after closing the item');
		assert((await pp.locator('main').innerText()).includes('Closed'), 'the item does not read as closed');
		assertEq(await pp.locator(`main form[action="${itemPath}/contacts"]`).count(), 0, 'contacts can still be recorded after closing');
		await open(pp, '/outreach');
		assertEq(await pp.locator('main li.outreach-item', { hasText: member.name }).count(), 0,
			'the closed item is still in the queue');

		// The member: that someone reached out, and how; never why, nor the note.
		const mp = await newPage(mctx);
		await signInForm(mp, member);                     // days later: a new session
		await submit(mp, mp.locator('main a[href="/reach-outs"]'));
		assertEq(new URL(mp.url()).pathname, '/reach-outs', 'path of the home page\'s "Who reached out" link');
		const reached = await mp.locator('main').innerText();
		assert(reached.includes(peer.name) && reached.includes('Phone call'), `/reach-outs does not show the call: ${reached}`);
		await axeCheck(mp, '/reach-outs (member)', problems, notes);
		const causeWords = [reason, 'No check-in', 'usually check in', 'checkins_stopped', 'checkins stopped',
			'slipping', 'risk', 'early warning', 'outreach', note, 'new job', "okay for now"];
		for (const p of ['/', '/reach-outs', '/checkins', '/checkins/history', '/privacy', '/privacy/audit', '/help-now']) {
			await open(mp, p);
			const text = (await mp.locator('body').innerText()).toLowerCase();
			const html = (await mp.content()).toLowerCase();
			for (const w of causeWords)
				assert(!text.includes(w.toLowerCase()) && !html.includes(w.toLowerCase()),
					`the member's ${p} mentions ${JSON.stringify(w)}`);
		}
		const apiView = await api(mctx, 'GET', '/api/v1/me/reach-outs');
		assertEq(apiView.status, 200, 'GET /api/v1/me/reach-outs');
		for (const w of causeWords)
			assert(!apiView.text.toLowerCase().includes(w.toLowerCase()), `/api/v1/me/reach-outs mentions ${JSON.stringify(w)}`);
	} finally {
		await testClock(anon, { reset: true });
	}
	axeReport(problems, notes);
});

test('safety 4) quick exit: leaves for the neutral site at once, and back does not bring the page back', async () => {
	const member = server.addUser('member', 'Quinta Exit');
	const ctx = await newContext();
	// The neutral site, answered here: no network needed.
	const neutral = [];
	await ctx.route((url) => url.hostname !== '127.0.0.1', (route) => {
		neutral.push(route.request().url());
		return route.fulfill({ status: 200, contentType: 'text/html',
			body: '<!doctype html><html lang="en"><head><title>Search</title></head><body><h1>Neutral search</h1></body></html>' });
	});
	const page = await newPage(ctx);
	await signInForm(page, member);

	const exit = async (p, from) => {
		const link = p.getByRole('link', { name: 'Quick exit: leave this site now' });
		assertEq(await link.count(), 1, `quick exit links on ${from}`);
		const href = await link.getAttribute('href');
		assert(/^https:\/\//.test(href), `the quick exit goes to ${href}`);
		await Promise.all([p.waitForURL((u) => u.hostname !== '127.0.0.1', { waitUntil: 'load' }), link.click()]);
		assertEq(new URL(p.url()).hostname, new URL(href).hostname, 'host after the quick exit');
		assertEq((await p.locator('h1').innerText()).trim(), 'Neutral search', 'the page after the quick exit');
	};

	// From a page deep in the history: back skips it (the exit replaced it).
	await open(page, '/checkins');
	await open(page, '/crisis-plan');
	await exit(page, '/crisis-plan');
	await page.goBack({ waitUntil: 'load' });
	assertEq(new URL(page.url()).pathname, '/checkins', 'path after going back from the neutral site');
	assert(!(await page.locator('body').innerText()).includes('My crisis plan'), 'going back shows the crisis plan');

	// A tab opened straight on a member page: after the exit there is nothing to go back to.
	const tab = await newPage(ctx);
	await open(tab, '/help-now');
	await exit(tab, '/help-now');
	await tab.goBack({ waitUntil: 'load' }).catch(() => null);
	assert(!tab.url().startsWith(server.base), `going back after the quick exit shows ${tab.url()}`);
	assert(!(await tab.locator('body').innerText().catch(() => '')).includes('Talk to someone now'),
		'going back after the quick exit shows the help page');
	assert(neutral.length >= 2, `the neutral site was asked ${neutral.length} times`);
});

// axe-core into a page whose CSP is enforced (no bypassCSP): served as if from the page's own
// origin, so script-src 'self' lets it in and the page's CSP stays under test.
async function loadAxeSameOrigin(ctx, page) {
	await ctx.route('**/__e2e/axe.min.js', (route) => route.fulfill({ path: AXE_PATH, contentType: 'text/javascript' }));
	await page.addScriptTag({ url: '/__e2e/axe.min.js' });
}

test('safety live) an on-call supporter on /checkins sees "needs help now" without reloading (htmx, axe)', async () => {
	const problems = [];
	const notes = [];
	const coord = server.addUser('coordinator', 'Celia Rota');
	const sup = server.addUser('peer_supporter', 'Lucio Guardia');
	const member = server.addUser('member', 'Valeria Luz Montes');
	const cctx = await newContext();
	const ccsrf = await apiSignIn(cctx, coord);
	for (const s of (await api(cctx, 'GET', '/api/v1/oncall')).json.shifts)
		assertEq((await api(cctx, 'DELETE', `/api/v1/oncall/${s.id}`, undefined, ccsrf)).status, 204, 'clearing the rota');
	const now = await testClock(cctx, { advance: 0 });
	await apiSignIn(await newContext(), sup);   // sets sup.id
	const shift = await api(cctx, 'POST', '/api/v1/oncall', { user_id: sup.id, starts_at: now - 60, ends_at: now + 3600, position: 1 },
		ccsrf);
	assertEq(shift.status, 201, `POST /api/v1/oncall (${shift.text.slice(0, 200)})`);

	// The supporter sits on /checkins (CSP enforced, reduced motion asked for).
	const cspBefore = cspViolations.length;
	const sctx = await newContext({ reducedMotion: 'reduce' });
	const sp = await newPage(sctx);
	await signInForm(sp, sup);
	await open(sp, '/checkins');
	const region = sp.locator('#live-alert');
	assertEq(await region.getAttribute('aria-live'), 'polite', 'aria-live of the live region');
	assertEq((await region.innerText()).trim(), '', 'the live region before anyone asks for help');
	await sp.evaluate(() => { window.liveNoReload = true; });
	await sp.locator('#lang-select').focus();

	// The member presses "I need help now" in another browser.
	const mctx = await newContext();
	const mp = await newPage(mctx);
	await signInForm(mp, member);
	await submit(mp, mp.locator('.safety-bar').getByRole('button', { name: 'I need help now' }));
	assertEq(new URL(mp.url()).pathname, '/help-now', 'path after pressing "I need help now"');

	// Within a couple of polls the notice is on the supporter's page: no reload, focus kept.
	const link = region.getByRole('link', { name: 'Valeria needs help now: open the alert' });
	await link.waitFor({ state: 'visible', timeout: 20_000 });
	assert(await sp.evaluate(() => window.liveNoReload === true), 'the supporter\'s page was reloaded');
	assertEq(new URL(sp.url()).pathname, '/checkins', 'the supporter\'s path');
	assertEq(await sp.evaluate(() => document.activeElement && document.activeElement.id), 'lang-select',
		'focus after the notice appeared');
	const text = await region.innerText();
	assert(text.includes('Alert:'), `the notice does not say "Alert:" in words: ${text}`);
	assert(!text.includes('Luz') && !text.includes('Montes'), `the notice shows more than the first name: ${text}`);
	assertEq(await sp.locator('.live-alert-mark').evaluate((e) => getComputedStyle(e).animationName), 'none',
		'the mark moves although reduced motion was asked for');
	await loadAxeSameOrigin(sctx, sp);
	await axeCheck(sp, '/checkins (on call, live notice shown)', problems, notes);

	// Following it: the alert; once answered the notice is gone.
	await submit(sp, link);
	assert(/^\/alerts\/\d+$/.test(new URL(sp.url()).pathname), `path of the notice's link: ${sp.url()}`);
	assertEq((await sp.locator('main h1').innerText()).trim(), `${member.name} asked for help`, 'alert page h1');
	await submit(sp, sp.getByRole('button', { name: "I'm on it" }));
	await open(sp, '/checkins');
	assertEq((await region.innerText()).trim(), '', 'the live region after acknowledging');
	assertEq(await sp.locator('#live-alert-notice').count(), 0, 'the notice after acknowledging');
	await submit(mp, mp.locator('main #help-status').getByRole('button', { name: "I'm safe now" }));
	for (const v of cspViolations.slice(cspBefore))
		problems.push(`CSP violation on ${v.url}: ${v.text}`);
	axeReport(problems, notes);
});

test('feeds) a member makes a calendar address, a cookie-less app reads it, then it is turned off (axe en/es)', async () => {
	const problems = [];
	const notes = [];
	const who = server.addUser('member', 'Cal');
	const ctx = await newContext({ bypassCSP: true });
	const page = await newPage(ctx);
	await signInForm(page, who);
	await open(page, '/account');
	await submit(page, page.locator('main a[href="/account/calendar"]').first());
	assertEq(new URL(page.url()).pathname, '/account/calendar', 'path after the account page link');
	await axeCheck(page, '/account/calendar (none yet, en)', problems, notes);
	await submit(page, page.getByRole('button', { name: 'Make my calendar address' }));
	const url = await page.getByRole('textbox', { name: 'Calendar address' }).inputValue();
	assert(/\/calendar\/[A-Za-z0-9_-]{40,}\.ics$/.test(url), `no calendar address on the page: ${url}`);
	await axeCheck(page, '/account/calendar (just made, en)', problems, notes);
	const app = await newContext();		// a calendar app: no cookie
	let r = await app.request.get(new URL(url).pathname, { failOnStatusCode: false });
	assertEq(r.status(), 200, 'the calendar address without a cookie');
	assert((await r.text()).startsWith('BEGIN:VCALENDAR'), 'the address does not answer a calendar');
	await open(page, '/account/calendar');
	assert(!(await page.content()).includes(new URL(url).pathname), 'the address is shown again');
	await submit(page, page.getByRole('button', { name: 'Turn off the calendar address' }));
	assert((await page.locator('main p[role="status"]').innerText()).includes('turned off'), 'no notice after turning it off');
	r = await app.request.get(new URL(url).pathname, { failOnStatusCode: false });
	assertEq(r.status(), 404, 'the calendar address after turning it off');
	await ensureLanguage(page, 'es');
	await open(page, '/account/calendar');
	assertEq(await page.evaluate(() => document.documentElement.lang), 'es', 'html lang on /account/calendar');
	await axeCheck(page, '/account/calendar (none, es)', problems, notes);
	axeReport(problems, notes);
});

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
