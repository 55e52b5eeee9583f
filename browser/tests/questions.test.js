// An organiser's own questions on the registration form, in French on a
// phone 360 px wide: six kinds of question after the built-in fields, one
// answer out of its range shown next to its field and fixed, then stored.
//
// Run with `make test-browser`, which starts the server these talk to and
// makes the organiser token this sets its event up with.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { axeCheck, baseUrl, describeViolations, launch, phone, phoneContext, screenshot } from '../lib/browser.js';

const token = process.env.RENCONTRE_BROWSER_TOKEN;
// A new event every run (lowercase letters: a slug).
const slug = `questions-${Array.from(randomBytes(6), (b) => String.fromCharCode(97 + (b % 26))).join('')}`;

async function api(method, path, body) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const QUESTIONS = [
  { code: 'hotel', type: 'yes_no', labels: { fr: 'Hôtel ?', en: 'Hotel?' }, required: true, position: 1 },
  {
    code: 'nights', type: 'number', labels: { fr: 'Nuits', en: 'Nights' }, required: true, position: 2,
    min: 1, max: 10, condition: { question: 'hotel', any_of: ['yes'] },
  },
  { code: 'arrival', type: 'date', labels: { fr: 'Arrivée', en: 'Arrival' }, position: 3, min: '2027-11-20', max: '2027-11-23' },
  {
    code: 'diet', type: 'single_choice', labels: { fr: 'Régime alimentaire', en: 'Diet' }, required: true, position: 4,
    choices: [
      { code: 'none', labels: { fr: 'Aucun', en: 'None' } },
      { code: 'veg', labels: { fr: 'Végétarien', en: 'Vegetarian' } },
      { code: 'halal', labels: { fr: 'Halal', en: 'Halal' } },
    ],
  },
  {
    code: 'langs', type: 'multiple_choice', labels: { fr: 'Interprétation', en: 'Interpretation' }, position: 5,
    choices: [
      { code: 'pt', labels: { fr: 'Portugais', en: 'Portuguese' } },
      { code: 'es', labels: { fr: 'Espagnol', en: 'Spanish' } },
    ],
  },
  { code: 'passport', type: 'country', labels: { fr: 'Nationalité du passeport', en: 'Passport' }, position: 6 },
  { code: 'needs', type: 'long_text', labels: { fr: "Besoins d'accessibilité", en: 'Access needs' }, position: 7, sensitive: true },
];

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

describe('an organiser\'s questions on the French form at 360 px', () => {
  test('set up through the API, answered on a phone, an answer out of range fixed', async (t) => {
    if (!token) {
      t.skip('no organiser token (the back office is missing)');
      return;
    }
    const created = await api('POST', '/events', {
      slug,
      name: 'Rencontre des questions',
      names: { en: 'Questions meeting' },
      starts_on: '2027-11-20',
      ends_on: '2027-11-23',
      timezone: 'Africa/Dakar',
      languages: ['fr', 'en'],
      registration_opens_at: '2026-01-01T00:00:00Z',
      registration_closes_at: '2027-11-01T00:00:00Z',
      capacity: 100,
      default_country_capacity: 20,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    for (const question of QUESTIONS) {
      const answer = await api('POST', `/events/${slug}/questions`, question);
      assert.equal(answer.status, 201, `${question.code}: ${JSON.stringify(answer.body)}`);
    }

    const context = await phoneContext(browser);
    try {
      const page = await context.newPage();
      const form = await page.goto(`${baseUrl}/events/${slug}/register?lang=fr`);
      assert.equal(form.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= phone.width, `the form is ${width}px wide`);
      // Each kind of question is asked, after the built-in fields.
      for (const selector of ['#answers\\.hotel-yes', '#answers\\.nights', '#answers\\.arrival', '#answers\\.diet-veg',
        '#answers\\.langs-pt', '#answers\\.passport', '#answers\\.needs']) {
        assert.equal(await page.locator(selector).count(), 1, selector);
      }
      const order = await page.evaluate(() => {
        const fields = [...document.querySelectorAll('input, select, textarea')].map((field) => field.name);
        return [fields.indexOf('email'), fields.indexOf('answers.hotel')];
      });
      assert.ok(order[0] >= 0 && order[0] < order[1], `built-in fields first: ${order}`);
      const serious = await axeCheck(page, 'form with questions (fr)');
      assert.deepEqual(serious, [], `axe: ${describeViolations(serious)}`);
      await screenshot(page, 'fr-6-questions');

      await page.locator('#given_name').pressSequentially('Maria');
      await page.locator('#family_name').pressSequentially('da Silva');
      await page.locator('#email').pressSequentially(`maria.${slug}@example.org`);
      await page.locator('#country').selectOption('BR');
      await page.locator('#answers\\.hotel-yes').check();
      await page.locator('#answers\\.nights').fill('40');
      await page.locator('#answers\\.arrival').fill('2027-11-21');
      await page.locator('#answers\\.diet-veg').check();
      await page.locator('#answers\\.langs-pt').check();
      await page.locator('#answers\\.passport').selectOption('BR');
      await page.locator('#answers\\.needs').fill('Rampe d’accès');
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: "S'inscrire" }).click(),
      ]).then(([response]) => assert.equal(response.status(), 422));
      await page.waitForLoadState('load');

      // The one problem is said next to its field; every answer is kept.
      const error = page.locator('#answers\\.nights-error');
      await error.waitFor({ state: 'visible' });
      assert.equal((await error.textContent()).trim(), "Saisissez un nombre d'au plus 10.");
      const nights = page.locator('#answers\\.nights');
      assert.equal(await nights.getAttribute('aria-invalid'), 'true');
      assert.match(await nights.getAttribute('aria-describedby'), /answers\.nights-error/);
      assert.equal(await page.locator('.field.invalid').count(), 1, 'only the nights are wrong');
      const [errorBox, fieldBox] = [await error.boundingBox(), await nights.boundingBox()];
      assert.ok(Math.abs(fieldBox.y - (errorBox.y + errorBox.height)) < 48, 'the message sits by its field');
      assert.equal(await nights.inputValue(), '40');
      assert.ok(await page.locator('#answers\\.diet-veg').isChecked());
      assert.ok(await page.locator('#answers\\.langs-pt').isChecked());
      assert.equal(await page.locator('#answers\\.passport').inputValue(), 'BR');
      assert.equal(await page.locator('#answers\\.arrival').inputValue(), '2027-11-21');
      assert.equal(await page.locator('#answers\\.needs').inputValue(), 'Rampe d’accès');
      const withErrors = await axeCheck(page, 'form with questions and an error (fr)');
      assert.deepEqual(withErrors, [], `axe: ${describeViolations(withErrors)}`);
      await screenshot(page, 'fr-7-questions-error');

      await nights.fill('4');
      await Promise.all([
        page.waitForURL(/\/r\/[^/?]+\?registered=1$/),
        page.getByRole('button', { name: "S'inscrire" }).click(),
      ]);
      const privateToken = new URL(page.url()).pathname.split('/').pop();
      const stored = await api('GET', `/registrations/${privateToken}/answers`);
      assert.equal(stored.status, 200);
      assert.deepEqual(stored.body.answers, {
        hotel: true,
        nights: 4,
        arrival: '2027-11-21',
        diet: 'veg',
        langs: ['pt'],
        passport: 'BR',
        needs: 'Rampe d’accès',
      });
      const confirmation = await axeCheck(page, 'confirmation with answers (fr)');
      assert.deepEqual(confirmation, [], `axe: ${describeViolations(confirmation)}`);
      assert.deepEqual(context.offsite, [], 'requests left 127.0.0.1');
    } finally {
      await context.close();
    }
  });
});
