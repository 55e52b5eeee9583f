// An event that holds each place until its email address is confirmed, in
// French on a phone 360 px wide: the delegate registers and is told their
// place is held until a deadline; having lost the link, they ask for a new
// one, mistype their address, are told so next to the field, and fix it.
//
// Run with `make test-browser`, which starts the server these talk to and
// makes the organiser token this sets its event up with.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { axeCheck, baseUrl, describeViolations, launch, phone, phoneContext, screenshot } from '../lib/browser.js';

const token = process.env.RENCONTRE_BROWSER_TOKEN;
// A new event every run (lowercase letters: a slug).
const slug = `verified-${Array.from(randomBytes(6), (b) => String.fromCharCode(97 + (b % 26))).join('')}`;

// From locales/fr/main.ftl.
const WORDING = {
  status: 'Statut : en attente de confirmation de l’adresse e-mail',
  held: /^Votre place est réservée jusqu’au .+ : confirmez votre adresse e-mail/,
  againLink: 'Déjà inscrit·e, mais pas de lien de confirmation ? En recevoir un nouveau.',
  againButton: 'M’envoyer un nouveau lien',
  emailError: 'Saisissez une adresse e-mail valide, par exemple nom@example.org.',
  sent: /un nouveau lien lui est envoyé/,
};

async function api(method, path, body) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

describe('a place held for its email address, in French at 360 px', () => {
  test('registered, told of the hold, a new link asked for with a mistyped address fixed', async (t) => {
    if (!token) {
      t.skip('no organiser token (the back office is missing)');
      return;
    }
    const created = await api('POST', '/events', {
      slug,
      name: 'Rencontre vérifiée',
      starts_on: '2027-11-20',
      ends_on: '2027-11-23',
      timezone: 'Africa/Dakar',
      languages: ['fr', 'en'],
      registration_opens_at: '2026-01-01T00:00:00Z',
      registration_closes_at: '2027-11-01T00:00:00Z',
      default_country_capacity: 3,
      verification: 'email',
      verification_hours: 24,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));

    const context = await phoneContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/events/${slug}/register?lang=fr`);
      const email = `awa.${slug}@example.org`;
      await page.locator('#given_name').pressSequentially('Awa');
      await page.locator('#family_name').pressSequentially('Diop');
      await page.locator('#email').pressSequentially(email);
      await page.locator('#country').selectOption('SN');
      await Promise.all([
        page.waitForURL(/\/r\/[^/?]+\?registered=1$/),
        page.getByRole('button', { name: "S'inscrire" }).click(),
      ]);
      assert.equal((await page.locator('p.status').textContent()).trim(), WORDING.status);
      const held = page.locator('p.notice', { hasText: 'Votre place est réservée' });
      assert.match((await held.textContent()).trim(), WORDING.held);
      const registered = await axeCheck(page, 'private page, place held (fr)');
      assert.deepEqual(registered, [], `axe: ${describeViolations(registered)}`);
      await screenshot(page, 'fr-8-held');

      // The form links to the page that sends a new link.
      await page.goto(`${baseUrl}/events/${slug}/register?lang=fr`);
      await Promise.all([
        page.waitForURL(new RegExp(`/events/${slug}/verification$`)),
        page.getByRole('link', { name: WORDING.againLink }).click(),
      ]);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= phone.width, `the page is ${width}px wide`);
      const asking = await axeCheck(page, 'new link form (fr)');
      assert.deepEqual(asking, [], `axe: ${describeViolations(asking)}`);

      await page.locator('#email').fill('awa.diop-at-example.org');
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: WORDING.againButton }).click(),
      ]).then(([response]) => assert.equal(response.status(), 422));
      await page.waitForLoadState('load');
      const error = page.locator('#email-error');
      await error.waitFor({ state: 'visible' });
      assert.equal((await error.textContent()).trim(), WORDING.emailError);
      const field = page.locator('#email');
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.equal(await field.inputValue(), 'awa.diop-at-example.org', 'what was typed is kept');
      const withError = await axeCheck(page, 'new link form with an error (fr)');
      assert.deepEqual(withError, [], `axe: ${describeViolations(withError)}`);
      await screenshot(page, 'fr-9-new-link-error');

      await field.fill(email);
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 200),
        page.getByRole('button', { name: WORDING.againButton }).click(),
      ]);
      await page.waitForLoadState('load');
      assert.match((await page.locator('p.notice').textContent()).trim(), WORDING.sent);
      assert.equal(await page.locator('.field.invalid').count(), 0);
      const emails = await api('GET', `/events/${slug}/emails`);
      assert.equal(emails.status, 200, JSON.stringify(emails.body));
      const kinds = emails.body.items.map((item) => item.kind).sort();
      assert.deepEqual(kinds, ['confirmation', 'verification'], 'the first email, then the new link');
      assert.deepEqual(context.offsite, [], 'requests left 127.0.0.1');
    } finally {
      await context.close();
    }
  });
});
