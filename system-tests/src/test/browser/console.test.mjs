// The console in a real browser: Chromium (Debian's) driven by Playwright through the gateway of a running stack,
// with axe-core on every page. Run by ConsoleBrowserIT (system-tests) with JHE_BASE_URL and JHE_ARTEFACTS set;
// screenshots of the main pages are kept in JHE_ARTEFACTS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
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

    // adding a member: an address no practitioner has is shown next to its field (the browser's own check is off
    // so the server's is seen), and nothing changes
    const seenBefore = problems.length;
    await page.getByLabel("Practitioner's e-mail").fill('nobody-here@example.org');
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.locator('#email-error').getByText('No practitioner has this e-mail address.').waitFor();
    assert.equal(await page.getByLabel("Practitioner's e-mail").getAttribute('aria-invalid'), 'true');
    const refused = problems.splice(seenBefore);
    assert.ok(refused.every((p) => p.includes('400')), refused.join('\n'));
    await check(page, 'organization-member-error');

    // a study of the organization: what it asks for, its sources, apps and patients
    await page.getByRole('link', { name: 'Lifespan Study on BP & HR' }).click();
    await page.getByRole('heading', { name: 'Lifespan Study on BP & HR', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Data it asks for' }).waitFor();
    await page.getByRole('link', { name: 'Park, Peter' }).waitFor();
    await check(page, 'study');
    // a manager's controls on the study: enrolling a patient nobody matches is shown next to the field
    let before = problems.length;
    await page.getByLabel(/^Enrol a patient of Lifespan Lab/).fill('nobody-matches-this');
    await page.getByRole('button', { name: 'Enrol', exact: true }).click();
    await page.locator('#patient-error').getByText('No patient of Lifespan Lab matches').waitFor();
    assert.equal(await page.getByLabel(/^Enrol a patient of Lifespan Lab/).getAttribute('aria-invalid'), 'true');
    let meantRefusals = problems.splice(before);
    assert.ok(meantRefusals.every((p) => p.includes('400')), meantRefusals.join('\n'));
    await check(page, 'study-enrol-error');
    // asking for one more type of data, then no longer: the study is as it was
    const added = await page.getByLabel('Ask for a type of data').locator('option').nth(1).textContent();
    const addedName = added.replace(/ \(.*\)$/, '');
    await page.getByLabel('Ask for a type of data').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Add type of data' }).click();
    await page.getByRole('status').getByText('The study asks for this type of data now.').waitFor();
    await check(page, 'study-scope-added');
    await page.getByRole('button', { name: `Stop asking for ${addedName}`, exact: true }).click();
    await page.getByRole('status').getByText('The study no longer asks for this type of data.').waitFor();
    await page.getByRole('link', { name: 'Lifespan Lab' }).click();
    await page.getByRole('heading', { name: 'Lifespan Lab' }).waitFor();

    await page.getByRole('link', { name: 'Patients of Lifespan Lab' }).click();
    await page.getByRole('heading', { name: 'Patients of Lifespan Lab' }).waitFor();
    await check(page, 'patients');
    // adding a patient: an e-mail address that is not one is shown next to its field, and nobody is added
    await page.getByText('Add a patient to Lifespan Lab').click();
    before = problems.length;
    await page.getByLabel('E-mail (required)').fill('not an address');
    await page.getByRole('button', { name: 'Add patient' }).click();
    await page.locator('#patient-email-error').getByText('such as name@example.org').waitFor();
    meantRefusals = problems.splice(before);
    assert.ok(meantRefusals.every((p) => p.includes('400')), meantRefusals.join('\n'));
    await check(page, 'patients-add-error');

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

    // his blood pressure over the last 30 days: a plot (uPlot draws on a canvas), a table, and a CSV file
    await page.getByRole('link', { name: 'Plot Blood pressure' }).click();
    await page.getByRole('heading', { name: 'Observations of Park, Peter', level: 1 }).waitFor();
    await page.locator('#observations[data-state="plotted"]').waitFor();
    assert.ok(await page.locator('#plot canvas').count() > 0, 'the plot is drawn');
    assert.ok(await page.locator('#observations-table tbody tr').count() >= 3, 'the table lists the observations');
    await page.getByRole('columnheader', { name: 'Systolic blood pressure (mmHg)' }).waitFor();
    await check(page, 'observations');
    // zoom: a drag across the plot asks the server again for that span only, reduced to the plot's width; the
    // button (or a double-click) goes back to the whole range
    const over = await page.locator('#plot .u-over').boundingBox();
    await page.mouse.move(over.x + over.width * 0.05, over.y + over.height / 2);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.95, over.y + over.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.locator('#observations[data-state="zoomed"]').waitFor();
    await page.locator('#plot-status').getByText(/ from \d{4}-\d{2}-\d{2} .* to \d{4}-/).waitFor();
    await check(page, 'observations-zoomed');
    await page.getByRole('button', { name: 'Show the whole range' }).click();
    await page.locator('#observations[data-state="plotted"]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Show the whole range' }).isVisible(), false);
    const csv = await page.request.get(BASE + await page.getByRole('link', { name: /Download CSV/ }).getAttribute('href'));
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^time,systolic_blood_pressure \(mmHg\),diastolic_blood_pressure \(mmHg\)\r\n\d{4}-/);
    // a range the wrong way round is shown next to its field
    const seen = problems.length;
    await page.getByLabel('From', { exact: true }).fill('2024-05-10');
    await page.getByLabel('To', { exact: true }).fill('2024-05-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#to-error').getByText('must not be before').waitFor();
    const meant = problems.splice(seen); // that page's 400 was meant; nothing else
    assert.ok(meant.length > 0 && meant.every((p) => p.includes('400')), meant.join('\n'));
    await check(page, 'observations-error');
    // at phone width the plot fits the screen
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goBack();
    await page.reload();
    await page.locator('#observations[data-state="plotted"]').waitFor();
    const plotWidth = await page.locator('#plot canvas').first().evaluate((c) => c.getBoundingClientRect().width);
    assert.ok(plotWidth <= 390, `the plot is ${plotWidth}px wide at phone width`);
    await check(page, 'observations-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    // an invitation for Peter: its link, and its QR code (read back by ConsoleBrowserIT from the screenshot)
    await page.getByRole('link', { name: 'Park, Peter' }).click();
    await page.getByRole('button', { name: 'Create invitation' }).click();
    await page.getByRole('heading', { name: 'Invitation of Park, Peter' }).waitFor();
    const qr = page.getByRole('img', { name: 'QR code of the invitation link for Park, Peter' });
    await qr.waitFor();
    const link = await page.locator('#invitation-link').textContent();
    assert.match(link, /^https?:\/\/\S+$/);
    writeFileSync(join(ARTEFACTS, 'invitation-link.txt'), link);
    await qr.screenshot({ path: join(ARTEFACTS, 'invitation-qr.png') });
    await check(page, 'invitation');

    // revoking Peter's consent to blood pressure in the one study he gave it to hides his blood pressures
    await page.getByRole('link', { name: 'Park, Peter' }).click();
    const study = 'Lifespan Study on BP & HR';
    await page.getByRole('button', { name: `Revoke consent to Blood pressure in ${study}` }).click();
    await page.getByRole('status').getByText('The consent was revoked').waitFor();
    await check(page, 'patient-revoked');
    await page.getByRole('link', { name: 'Plot Blood pressure' }).click();
    // the exchange hides revoked data within a second: look again until it does
    for (let attempt = 0; ; attempt++) {
      await page.locator('#observations[data-state]').waitFor();
      if (await page.locator('#observations').getAttribute('data-state') === 'empty' || attempt === 10) break;
      await page.waitForTimeout(500);
      await page.reload();
    }
    assert.equal(await page.locator('#observations').getAttribute('data-state'), 'empty', 'the plot is empty');
    await page.getByText('No observations of this type in this range.').waitFor();
    assert.equal(await page.locator('#plot canvas').count(), 0);
    await check(page, 'observations-empty');
    // and given back, so that the other tests find the demo data as it was
    await page.getByRole('link', { name: 'Park, Peter' }).click();
    await page.getByRole('button', { name: `Grant consent to Blood pressure in ${study}` }).click();
    await page.getByRole('status').getByText('The consent was recorded').waitFor();

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

test('a patient reads who accessed its data, at desktop and phone width', async () => {
  const { context, page, problems } = await signIn('ll_patient_peter@example.com');
  try {
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    // a patient's console: its record and its access report, no organization or patient list
    assert.equal(await page.getByRole('link', { name: 'Organizations' }).count(), 0);
    await check(page, 'patient-profile');
    await page.getByRole('link', { name: 'See who accessed your data' }).click();
    await page.getByRole('heading', { name: 'Who accessed your data', level: 1 }).waitFor();
    // Mary read Peter's blood pressures in the test before: the report says so, through the console's client (the
    // trail is stored a moment after the access: look again until it is)
    const accesses = page.getByRole('table');
    const mary = accesses.getByRole('cell', { name: /^practitioner \(user 10002\)$/ });
    for (let attempt = 0; await mary.count() === 0 && attempt < 10; attempt++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    await mary.first().waitFor();
    await accesses.getByRole('cell', { name: 'jhe-console' }).first().waitFor();
    assert.equal(await page.getByRole('columnheader', { name: 'From' }).count(), 0, 'no network address for a patient');
    await check(page, 'access-report');
    if (await page.getByRole('link', { name: 'Older accesses' }).count() > 0) {
      await page.getByRole('link', { name: 'Older accesses' }).click();
      await page.getByRole('link', { name: 'Newest accesses' }).waitFor();
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(BASE + '/console/access-report');
    await check(page, 'access-report-phone');
    // another patient's report is not to be had: the address for one patient is a superuser's
    const other = await page.goto(BASE + '/console/patients/40002/access-report');
    assert.equal(other.status(), 403, 'another patient\'s report');
    problems.splice(0);
  } finally {
    await context.close();
  }
});

test('a superuser reads the accesses to a patient\'s data, with their addresses', async () => {
  const { context, page, problems } = await signIn('admin@example.com');
  try {
    // the superuser is in none of Peter's organizations: the API gives the trail, not his record
    await page.goto(BASE + '/console/patients/40001/access-report');
    await page.getByRole('heading', { name: /^Accesses to the data of (Park, Peter|patient 40001)$/, level: 1 }).waitFor();
    await page.getByRole('columnheader', { name: 'From' }).waitFor();
    await page.getByRole('table').getByRole('cell', { name: 'jhe-console' }).first().waitFor();
    await check(page, 'access-report-superuser');
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await check(page, 'audit-trail');
    // the registries: the settings' list only links to each setting's own page, the others have their forms
    for (const [link, name] of [['Apps (OAuth clients)', 'clients'], ['Data sources', 'data-sources'],
      ['Settings', 'settings'], ['Practitioners', 'practitioners']]) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: link, level: 1 }).waitFor();
      const forms = await page.locator('form[method="post"]').count();
      assert.ok(name === 'settings' ? forms === 0 : forms > 0, `${forms} write controls on ${name}`);
      await check(page, `admin-${name}`);
    }
    // a data source without a name is refused next to its field, and nothing is added
    await page.goto(BASE + '/console/admin/data-sources');
    const before = problems.length;
    await page.getByRole('button', { name: 'Add data source' }).click();
    await page.locator('#data-source-name-error').getByText('Enter the data source').waitFor();
    const meant = problems.splice(before);
    assert.ok(meant.every((p) => p.includes('400')), meant.join('\n'));
    await check(page, 'admin-data-sources-error');
    // a setting's value is changed on its own page, a form with the type next to the value
    await page.goto(BASE + '/console/admin/settings');
    await page.getByRole('link', { name: /^Change / }).first().click();
    await page.getByRole('heading', { name: /^Setting /, level: 1 }).waitFor();
    await page.getByLabel('Value').waitFor();
    await check(page, 'admin-setting');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('link', { name: 'Practitioners', exact: true }).click();
    await page.getByRole('cell', { name: 'manager_mary@example.com' }).waitFor();
    // a practitioner's page: its organizations and roles, and its names saved as they are
    await page.getByRole('row').filter({ hasText: 'manager_mary@example.com' }).getByRole('link').click();
    await page.getByRole('heading', { name: /^Practitioner /, level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Lifespan Lab' }).waitFor();
    await check(page, 'admin-practitioner');
    await page.getByRole('button', { name: 'Save names' }).click();
    await page.getByText("The practitioner's names were changed.").waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a superuser registers an app, changes it and deletes it after confirming, at desktop and phone width', async () => {
  const { context, page, problems } = await signIn('admin@example.com');
  try {
    const clientId = `browser-coach-${Date.now()}`;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('link', { name: 'Apps (OAuth clients)', exact: true }).click();
    await page.getByRole('heading', { name: 'Apps (OAuth clients)', level: 1 }).waitFor();
    await page.getByText('Register an app').click();
    // wrong fields are shown next to them (the browser's own checks are off so the server's are seen)
    let before = problems.length;
    await page.getByLabel('Client id').fill('not an id');
    await page.getByRole('button', { name: 'Register app' }).click();
    await page.locator('#client-id-error').getByText('Use 1 to 100').waitFor();
    await page.locator('#client-name-error').waitFor();
    await page.locator('#client-url-error').waitFor();
    let meant = problems.splice(before);
    assert.ok(meant.length > 0 && meant.every((p) => p.includes('400')), meant.join('\n'));
    await check(page, 'admin-apps-errors');

    await page.getByLabel('Name', { exact: true }).fill('Browser Coach');
    await page.getByLabel('Client id').fill(clientId);
    await page.getByLabel(/^Invitation URL/).fill('https://coach.example.org/launch?code=CODE');
    await page.getByRole('button', { name: 'Register app' }).click();
    await page.getByRole('heading', { name: 'App Browser Coach', level: 1 }).waitFor();
    await page.getByText('The app was registered.').waitFor();
    await page.getByText(clientId, { exact: true }).waitFor();
    const appUrl = new URL(page.url());
    await check(page, 'admin-app');

    // changed: the name, then an invitation URL the exchange refuses, shown next to its field
    await page.getByLabel('Name', { exact: true }).fill('Browser Coach 2');
    await page.getByRole('button', { name: 'Save app' }).click();
    await page.getByRole('heading', { name: 'App Browser Coach 2', level: 1 }).waitFor();
    await page.getByText('The app was changed.').waitFor();
    before = problems.length;
    await page.getByLabel(/^Invitation URL/).fill('ftp://coach.example.org/launch?code=CODE');
    await page.getByRole('button', { name: 'Save app' }).click();
    await page.locator('#client-url-error').getByText('Only https URLs').waitFor();
    meant = problems.splice(before);
    assert.ok(meant.length > 0 && meant.every((p) => p.includes('400')), meant.join('\n'));
    assert.equal(await page.getByLabel(/^Invitation URL/).getAttribute('aria-invalid'), 'true');
    await check(page, 'admin-app-error');

    // at phone width the form fits the screen
    await page.goto(appUrl.origin + appUrl.pathname);
    await page.setViewportSize({ width: 390, height: 844 });
    const save = await page.getByRole('button', { name: 'Save app' }).boundingBox();
    assert.ok(save && save.x + save.width <= 390, `the save button ends at ${save && save.x + save.width}px`);
    // nothing runs off the side, the superuser's longer menu included: it wraps
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the page is ${wide}px wide at phone width`);
    await check(page, 'admin-app-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    // deleted: the link leads to a confirmation, reached and confirmed by keyboard
    await page.getByRole('link', { name: /^Delete app Browser Coach 2/ }).click();
    await page.getByRole('heading', { name: 'Delete app Browser Coach 2?', level: 1 }).waitFor();
    await check(page, 'admin-app-delete');
    const gone = await page.goto(appUrl.origin + appUrl.pathname);
    assert.equal(gone.status(), 200, 'the confirmation page deleted nothing');
    await page.getByRole('link', { name: /^Delete app Browser Coach 2/ }).click();
    await page.getByRole('button', { name: 'Delete app' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('The app was deleted.').waitFor();
    before = problems.length;
    const deleted = await page.goto(appUrl.origin + appUrl.pathname);
    assert.equal(deleted.status(), 404, 'the app is gone');
    problems.splice(before);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a viewer finds no write control', async () => {
  const { context, page } = await signIn('viewer_victor@example.com');
  try {
    const registry = await page.goto(BASE + '/console/admin/practitioners');
    assert.equal(registry.status(), 403, 'the practitioners are a superuser\'s');
    for (const path of ['/console/', '/console/organizations', '/console/organizations/20003', '/console/studies/30001',
      '/console/organizations/20003/patients', '/console/patients/40001', '/console/patients/40001/observations']) {
      const answer = await page.goto(BASE + path);
      assert.equal(answer.status(), 200, path);
      assert.equal(await page.locator('[data-write], form[method="post"], form[method="post"] button').count(), 0,
        `no write control on ${path}`);
    }
  } finally {
    await context.close();
  }
});

test('a viewer who posts changes directly is refused each one, and nothing changes', async () => {
  const { context, page } = await signIn('viewer_victor@example.com');
  try {
    // what each change would alter, as the viewer reads it before and after
    const shown = ['/console/organizations/20003', '/console/organizations/20003/patients', '/console/patients/40001',
      '/console/studies/30001', '/console/studies/30002', '/console/admin/data-sources'];
    const read = async () => {
      const texts = [];
      for (const path of shown) {
        const answer = await page.goto(BASE + path);
        assert.equal(answer.status(), 200, path);
        texts.push(await page.locator('main').innerText());
      }
      return texts;
    };
    const before = await read();
    // a valid CSRF token of the viewer's own session: only the role stands between the viewer and the change
    const csrf = (await context.cookies()).find((c) => c.name === 'jhe-console-csrf');
    assert.ok(csrf, 'the console set its CSRF cookie');
    const changes = [
      ['/console/organizations/20003/members', { email: 'manager_mark@example.com', role: 'manager' }],
      ['/console/organizations/20003/members/remove', { userId: '10003' }],
      ['/console/organizations/20003/patients', { email: 'forged-by-a-viewer@example.com' }],
      ['/console/patients/40001/consents', { studyId: '30001', codingSystem: 'https://w3id.org/openmhealth',
        codingCode: 'omh:heart-rate:2.0', consented: 'false' }],
      ['/console/patients/40001/invitation', { sendEmail: 'on' }],
      ['/console/studies/30002/patients', { patient: 'll_patient_pamela@example.com' }],
      ['/console/studies/30002/patients/remove', { patientId: '40001' }],
      ['/console/studies/30001/scopes', { scopeCodeId: '50005' }],
      ['/console/studies/30001/scopes/remove', { scopeCodeId: '50002' }],
      ['/console/studies/30001/data-sources', { dataSourceId: '70002' }],
      ['/console/studies/30001/data-sources/remove', { dataSourceId: '70005' }],
      ['/console/studies/30001/clients', { clientId: '2' }],
      ['/console/studies/30001/clients/remove', { clientId: '1' }],
      ['/console/admin/data-sources', { name: 'Forged by a viewer', type: 'personal_device' }],
      ['/console/admin/data-sources/remove', { dataSourceId: '70006' }],
      ['/console/admin/clients', { name: 'Forged', clientId: 'forged-by-a-viewer',
        invitationUrl: 'https://forged.example.org/?code=CODE' }],
      ['/console/admin/clients/1', { name: 'Forged', invitationUrl: 'https://forged.example.org/?code=CODE' }],
      ['/console/admin/clients/1/delete', { confirm: 'yes' }],
      ['/console/admin/practitioners', { email: 'forged-by-a-viewer@example.org' }],
      ['/console/admin/settings/1', { value: 'forged' }],
    ];
    for (const [path, form] of changes) {
      const refused = await page.request.post(BASE + path, { form: { ...form, 'csrf-token': csrf.value },
        maxRedirects: 0 });
      assert.equal(refused.status(), 403, path);
      assert.match(await refused.text(), /No access/, path);
      // without the token, or with another one, the console refuses it before asking the exchange
      const forged = await page.request.post(BASE + path, { form: { ...form, 'csrf-token': 'x' + csrf.value },
        maxRedirects: 0 });
      assert.equal(forged.status(), 400, `${path} with a wrong CSRF token`);
      const bare = await page.request.post(BASE + path, { form, maxRedirects: 0 });
      assert.equal(bare.status(), 400, `${path} without a CSRF token`);
    }
    assert.deepEqual(await read(), before, 'the pages read the same after the refused changes');
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
