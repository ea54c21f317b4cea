// The console in a real browser: Chromium (Debian's) driven by Playwright through the gateway of a running stack,
// with axe-core on every page. Run by ConsoleBrowserIT (system-tests) with JHE_BASE_URL and JHE_ARTEFACTS set;
// screenshots of the main pages are kept in JHE_ARTEFACTS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const BASE = process.env.JHE_BASE_URL ?? 'http://localhost:18000';
const ARTEFACTS = process.env.JHE_ARTEFACTS ?? 'target/console-browser';
const PASSWORD = 'Jhe1234!';
mkdirSync(ARTEFACTS, { recursive: true });

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.JHE_CHROMIUM ?? '/usr/bin/chromium',
    // root (CI) cannot use Chromium's sandbox; the pages are the project's own
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
});
after(async () => browser?.close());

/** A fresh browser session signed in through identity-service's sign-in page. */
async function signIn(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(BASE + '/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/console/'));
  return { context, page, problems };
}

/** No serious or critical accessibility violation, and a screenshot kept as an artefact. */
async function check(page, name) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), [],
    `accessibility violations on ${name}`);
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
}

test('a manager signs in, sees the organizations, finds Peter and his consents, and signs out', async () => {
  const { context, page, problems } = await signIn('manager_mary@example.com');
  try {
    await assert.doesNotReject(page.getByRole('heading', { name: 'Your profile' }).waitFor());
    await assert.doesNotReject(page.getByText('manager_mary@example.com').first().waitFor());
    await check(page, 'profile');

    await page.getByRole('link', { name: 'Organizations' }).click();
    await page.getByRole('heading', { name: 'Organizations' }).waitFor();
    // the tree: Lifespan Lab inside Saturn School inside the Planetary Research Institute
    const tree = page.getByRole('list', { name: 'Organizations' });
    await tree.getByRole('link', { name: 'Planetary Research Institute' }).waitFor();
    await tree.locator('ul ul').getByRole('link', { name: 'Lifespan Lab' }).waitFor();
    await check(page, 'organizations');

    await tree.getByRole('link', { name: 'Lifespan Lab' }).click();
    await page.getByRole('heading', { name: 'Lifespan Lab' }).waitFor();
    const members = page.getByRole('table');
    await members.getByRole('cell', { name: 'viewer_victor@example.com', exact: true }).waitFor();
    // a manager sees the write controls
    assert.ok(await page.locator('[data-write]').count() > 0, 'a manager has controls to change the members');
    await check(page, 'organization');

    await page.getByRole('link', { name: 'Patients of Lifespan Lab' }).click();
    await page.getByRole('heading', { name: 'Patients of Lifespan Lab' }).waitFor();
    await check(page, 'patients');

    // search as one types (htmx), then sort by name, descending: the address follows, so the list can be shared
    await page.getByLabel('Search by name or e-mail').fill('peter');
    await page.getByRole('table').getByText(/matching “peter”/).waitFor();
    assert.equal(await page.locator('#patients tbody tr').count(), 1, 'only Peter matches');
    await page.getByRole('link', { name: /^Name\b.*sort/ }).click();
    await page.waitForURL(/sort=name/);
    await page.getByRole('link', { name: /^Name\b.*sort/ }).click();
    await page.waitForURL(/sort=-name/);
    assert.equal(await page.locator('th[aria-sort="descending"]').count(), 1);
    await check(page, 'patients-search');

    // keyboard only: focus Peter's link and open it with Enter
    await page.getByRole('link', { name: 'Park, Peter' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Park, Peter', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Studies and consents' }).waitFor();
    const consents = page.locator('section.study table');
    assert.ok(await consents.count() > 0, "Peter's consents are shown per study");
    await consents.first().getByText(/consented|declined|not answered/).first().waitFor();
    await check(page, 'patient');

    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    await check(page, 'signed-out');
    // the session is gone: the console asks to sign in again
    await page.goto(BASE + '/console/');
    await page.getByLabel('Password').waitFor();
    assert.deepEqual(problems, [], 'no errors in the browser console (a blocked script or style shows here)');
  } finally {
    await context.close();
  }
});

test('a viewer finds no write control', async () => {
  const { context, page } = await signIn('viewer_victor@example.com');
  try {
    for (const path of ['/console/', '/console/organizations', '/console/organizations/20003',
      '/console/organizations/20003/patients', '/console/patients/40001']) {
      const answer = await page.goto(BASE + path);
      assert.equal(answer.status(), 200, path);
      assert.equal(await page.locator('[data-write], form[method="post"], form[method="post"] button').count(), 0,
        `no write control on ${path}`);
    }
  } finally {
    await context.close();
  }
});

test('pages outside what a user may see answer with a page that says so', async () => {
  const { context, page } = await signIn('viewer_victor@example.com');
  try {
    const answer = await page.goto(BASE + '/console/organizations/20007');
    assert.ok([403, 404].includes(answer.status()), `status ${answer.status()}`);
    await page.getByRole('alert').waitFor();
    const bad = await page.goto(BASE + '/console/organizations/20003/patients?page=zero');
    assert.equal(bad.status(), 400);
    await check(page, 'error');
  } finally {
    await context.close();
  }
});
