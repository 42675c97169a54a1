// End-to-end tests of the web console in Debian's Chromium, driven by playwright-core.
//
// `cargo test -p corral --test browser_console` starts `corral serve` on a fresh data
// directory, creates the accounts below with `corral users add`, and runs this file with
// `node --test`. It can also run against a server you started yourself:
//
//   CORRAL_URL=http://127.0.0.1:8790 CORRAL_TEST_PASSWORD=… node --test tests/browser/
//
// Screenshots of the main pages land in CORRAL_BROWSER_ARTIFACTS (default
// target/browser-artifacts) for a person to look at.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.CORRAL_URL;
const PASSWORD = process.env.CORRAL_TEST_PASSWORD;
const ARTIFACTS = process.env.CORRAL_BROWSER_ARTIFACTS ?? 'target/browser-artifacts';
const CHROMIUM = process.env.CORRAL_CHROMIUM ?? '/usr/bin/chromium';

// The accounts the driver creates (people.json), one per role the flows need.
const PEOPLE = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(new URL('./people.json', import.meta.url)))).map(
    ([key, person]) => [key, person.email],
  ),
);

assert.ok(BASE, 'CORRAL_URL must name the console to test');
assert.ok(PASSWORD, 'CORRAL_TEST_PASSWORD must hold the accounts\' password');
mkdirSync(ARTIFACTS, { recursive: true });

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // The test machine runs as root in a container, where Chromium's own sandbox cannot start.
    args: ['--no-sandbox'],
  });
});
after(async () => {
  await browser?.close();
});

/** A fresh browser context (its own cookies) signed in as `who`. */
async function signedIn(who) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/sign-in`);
  await page.fill('#sign-in-email', who);
  await page.fill('#sign-in-password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('#sign-in-submit')]);
  assert.equal(
    (await page.textContent('[data-testid=signed-in-as]'))?.trim(),
    who,
    `signed in as ${who}`,
  );
  return { context, page };
}

async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Fills the register form; `systems` is a list of [system, access]. */
async function register(page, { name, tier, systems = [], creator = PEOPLE.member }) {
  await page.goto(`${BASE}/assets/new`);
  await page.fill('#field-name', name);
  await page.fill('#field-purpose', `Scores inbound leads for the ${name} campaign.`);
  await page.fill('#field-ai-product', 'Claude Code');
  await page.fill('#field-ai-version', '2.1');
  await page.selectOption('#field-status', 'production');
  await page.check(`#field-tier-${tier}`);
  await page.fill('#field-creator', creator);
  await page.fill('#field-department', 'Sales');
  for (const [i, [system, access]] of systems.entries()) {
    await page.fill(`#field-system-${i}`, system);
    await page.selectOption(`#field-access-${i}`, access);
  }
  await Promise.all([page.waitForNavigation(), page.click('#register-submit')]);
}

/** Approves the open review of asset `name` from the reviews page, with a comment. */
async function approve(page, name, comment) {
  await page.goto(`${BASE}/reviews`);
  const card = page.locator('[data-testid=review]', { hasText: name });
  await card.locator('textarea[id^=comment-]').fill(comment);
  await Promise.all([page.waitForNavigation(), card.locator('button[id^=approve-]').click()]);
}

test('a tier-2 asset is approved at once', async () => {
  const { context, page } = await signedIn(PEOPLE.member);
  await page.goto(`${BASE}/assets/new`);
  await shot(page, 'register');
  await register(page, { name: 'lead-scoring', tier: 2 });
  assert.equal(await page.getAttribute('#register-outcome', 'data-outcome'), 'approved');
  assert.match(await page.textContent('#outcome-heading'), /lead-scoring is approved/);
  await shot(page, 'register-approved');
  await page.click('#outcome-view');
  assert.equal((await page.textContent('#asset-name')).trim(), 'lead-scoring');
  await shot(page, 'asset-detail');
  await context.close();
});

test('a tier-3 asset waits for a reviewer, who approves it', async () => {
  const member = await signedIn(PEOPLE.member);
  await register(member.page, { name: 'renewal-forecast', tier: 3 });
  assert.equal(await member.page.getAttribute('#register-outcome', 'data-outcome'), 'review');
  assert.ok((await member.page.textContent('#outcome-due')).trim().length > 0, 'a due date');
  await shot(member.page, 'register-review');

  const reviewer = await signedIn(PEOPLE.security);
  await reviewer.page.goto(`${BASE}/reviews`);
  await shot(reviewer.page, 'reviews');
  await approve(reviewer.page, 'renewal-forecast', 'Reads the CRM export only; fine.');

  await member.page.goto(`${BASE}/assets?q=renewal-forecast`);
  await member.page.click('[data-testid=asset-row] a:has-text("renewal-forecast")');
  assert.match(await member.page.textContent('[data-testid=asset-approval]'), /approved/i);
  await member.context.close();
  await reviewer.context.close();
});

test('a critical asset needs two different approvers', async () => {
  const member = await signedIn(PEOPLE.member);
  await register(member.page, {
    name: 'crm-sync',
    tier: 2,
    systems: [['Salesforce', 'writes']],
  });
  assert.equal(await member.page.getAttribute('#register-outcome', 'data-outcome'), 'review');
  await member.context.close();

  const security = await signedIn(PEOPLE.security);
  await approve(security.page, 'crm-sync', 'Writes only the lead score field.');
  await security.page.goto(`${BASE}/reviews`);
  const card = security.page.locator('[data-testid=review]', { hasText: 'crm-sync' });
  assert.match(await card.locator('[data-testid=signoff-progress]').textContent(), /1 of 2/);
  // The same person cannot give the second sign-off.
  assert.equal(await card.locator('button[id^=approve-]').count(), 0);
  await security.context.close();

  const business = await signedIn(PEOPLE.business);
  await approve(business.page, 'crm-sync', 'Worth running: saves the team an hour a day.');
  await business.page.goto(`${BASE}/assets?q=crm-sync`);
  await business.page.click('[data-testid=asset-row] a:has-text("crm-sync")');
  assert.match(await business.page.textContent('[data-testid=asset-approval]'), /approved/i);
  assert.match(await business.page.textContent('[data-testid=asset-risk]'), /critical/i);
  await business.context.close();
});

test('a form with a forged CSRF token is refused and changes nothing', async () => {
  const { context, page } = await signedIn(PEOPLE.member);
  await page.goto(`${BASE}/assets/new`);
  await page.fill('#field-name', 'forged-asset');
  await page.evaluate(() => {
    document.querySelector('#register-form input[name=csrf]').value = 'forged';
  });
  await page.fill('#field-purpose', 'Should never be stored.');
  await page.fill('#field-ai-product', 'Cursor');
  await page.fill('#field-ai-version', '1');
  await page.check('#field-tier-1');
  await page.fill('#field-creator', PEOPLE.member);
  await page.fill('#field-department', 'Sales');
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.click('#register-submit'),
  ]);
  assert.equal(response.status(), 403);
  await shot(page, 'csrf-refused');
  await page.goto(`${BASE}/assets?q=forged-asset`);
  assert.equal(await page.locator('[data-testid=asset-row]').count(), 0);
  await context.close();
});

test('an owner presses Run now and sees the queued run', async () => {
  const member = await signedIn(PEOPLE.member);
  await register(member.page, { name: 'pipeline-digest', tier: 2 });
  assert.equal(await member.page.getAttribute('#register-outcome', 'data-outcome'), 'approved');
  await Promise.all([member.page.waitForNavigation(), member.page.click('#outcome-view')]);
  const assetId = new URL(member.page.url()).pathname.split('/').pop();

  // Jobs are defined through the API: an admin issues a token in Settings for it.
  const admin = await signedIn(PEOPLE.admin);
  await admin.page.goto(`${BASE}/settings`);
  await admin.page.fill('#token-name', 'browser-test-jobs');
  await admin.page.fill('#token-email', PEOPLE.admin);
  await admin.page.selectOption('#token-role', 'admin');
  await Promise.all([admin.page.waitForNavigation(), admin.page.click('#issue-token')]);
  const token = (await admin.page.textContent('#issued-token-value')).trim();
  await admin.context.close();
  const created = await fetch(`${BASE}/api/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'pipeline-digest-morning',
      asset_id: assetId,
      command: 'echo digest',
      schedule: { cron: '0 7 * * 1-5', timezone: 'Europe/Berlin' },
    }),
  });
  assert.equal(created.status, 201, await created.text());

  await member.page.goto(`${BASE}/jobs`);
  await shot(member.page, 'jobs');
  await Promise.all([
    member.page.waitForNavigation(),
    member.page.click('[data-job="pipeline-digest-morning"] a:has-text("pipeline-digest-morning")'),
  ]);
  assert.equal(await member.page.locator('[data-testid=job-run]').count(), 0);
  await Promise.all([member.page.waitForNavigation(), member.page.click('#run-now')]);
  assert.match(await member.page.textContent('#job-notice'), /Run queued/);
  const runs = member.page.locator('[data-testid=job-run]');
  assert.equal(await runs.count(), 1);
  assert.match(await runs.first().textContent(), /manual/);
  await shot(member.page, 'job-detail');
  await member.context.close();
});

test('a package search names the range it cannot read', async () => {
  const { context, page } = await signedIn(PEOPLE.member);
  await page.goto(`${BASE}/packages`);
  await page.fill('#package-name', 'requests');
  await page.selectOption('#package-ecosystem', 'pypi');
  await page.fill('#package-range', '>>2');
  await Promise.all([page.waitForNavigation(), page.click('#package-search-submit')]);
  assert.match(
    await page.textContent('[data-testid=package-problem]'),
    /range: `>>2` is not a PyPI version range/,
  );
  await page.fill('#package-range', '<3');
  await Promise.all([page.waitForNavigation(), page.click('#package-search-submit')]);
  assert.match(await page.textContent('#package-none'), /No asset uses requests in <3/);
  await shot(page, 'packages');
  await context.close();
});

test('the main pages render for an admin', async () => {
  const { context, page } = await signedIn(PEOPLE.admin);
  for (const [path, name] of [
    ['/', 'dashboard'],
    ['/assets', 'assets'],
    ['/people', 'people'],
    ['/packages', 'packages-landing'],
    ['/jobs', 'jobs-admin'],
    ['/audit', 'audit'],
    ['/settings', 'settings'],
  ]) {
    const response = await page.goto(`${BASE}${path}`);
    assert.equal(response.status(), 200, path);
    await shot(page, name);
  }
  await context.close();
});

test('signing out ends the session', async () => {
  const { context, page } = await signedIn(PEOPLE.member);
  await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
  assert.match(page.url(), /\/sign-in/);
  await page.goto(`${BASE}/assets`);
  assert.match(page.url(), /\/sign-in/, 'a signed-out browser is sent to sign in');
  await context.close();
});
