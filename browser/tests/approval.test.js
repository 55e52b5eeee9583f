// A curated meeting in Spanish: delegates of a category that needs
// approval wait for the organisers' decision, holding no place. An
// organiser, in the back office in Spanish, accepts three one by one,
// rejects one with a reason from the list and a note (the delegate's email
// says it in Spanish), then ticks the last two on the list of those
// awaiting a decision and accepts them together: the quota's last place
// goes to the first, the other waits its turn.
//
// Run with `make test-browser`, which starts the server these talk to and
// makes the organiser account and token this signs in and sets up with.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { axeCheck, baseUrl, describeViolations, launch, phoneContext, screenshot } from '../lib/browser.js';

const token = process.env.RENCONTRE_BROWSER_TOKEN;
const email = process.env.RENCONTRE_ORGANISER_EMAIL;
const password = process.env.RENCONTRE_ORGANISER_PASSWORD;
const slug = `curada-${Array.from(randomBytes(6), (b) => String.fromCharCode(97 + (b % 26))).join('')}`;

// From locales/es/admin.ftl and locales/es/main.ftl.
const WORDING = {
  pending: 'pendiente de la decisión de la organización',
  approve: 'Aceptar esta inscripción',
  reject: 'Rechazar esta inscripción',
  approved: 'La inscripción ha sido aceptada y la persona avisada por correo.',
  rejected: 'La inscripción ha sido rechazada y la persona avisada por correo, con el motivo.',
  selected: 'Aceptar las seleccionadas',
  rejectedSubject: 'su inscripción',
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

async function assertAccessible(page, name) {
  const serious = await axeCheck(page, name);
  assert.deepEqual(serious, [], `axe ${name}: ${describeViolations(serious)}`);
}

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

describe('approval in the back office, in Spanish', () => {
  test('three accepted, one rejected with a reason, two accepted together up to the quota', async (t) => {
    if (!token || !email || !password) {
      t.skip('no organiser account (the back office is missing)');
      return;
    }
    const created = await api('POST', '/events', {
      slug,
      name: 'Encuentro curado',
      starts_on: '2027-11-20',
      ends_on: '2027-11-23',
      timezone: 'America/Lima',
      languages: ['es', 'fr'],
      registration_opens_at: '2026-01-01T00:00:00Z',
      registration_closes_at: '2027-11-01T00:00:00Z',
      default_country_capacity: 4,
      pending_holds_place: false,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const category = await api('POST', `/events/${slug}/categories`, {
      code: 'delegate',
      names: { es: 'Delegado/a', fr: 'Délégué·e' },
      needs_approval: true,
    });
    assert.equal(category.status, 201, JSON.stringify(category.body));
    const ids = [];
    for (let n = 0; n < 6; n += 1) {
      const registered = await fetch(`${baseUrl}/api/v1/events/${slug}/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          given_name: `Delegada ${n}`,
          family_name: 'Quispe',
          email: `d${n}.${slug}@example.org`,
          country: 'PE',
          language: 'es',
        }),
      });
      const body = await registered.json();
      assert.equal(registered.status, 201, JSON.stringify(body));
      assert.equal(body.status, 'pending');
      ids.push(body.id);
    }

    const context = await phoneContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/admin/login?lang=es`);
      await page.locator('input[name=email]').pressSequentially(email);
      await page.locator('input[name=password]').pressSequentially(password);
      await Promise.all([
        page.waitForURL((url) => url.pathname.startsWith('/admin') && url.pathname !== '/admin/login'),
        page.locator('form[action="/admin/login"] button[type=submit]').click(),
      ]);
      const registration = (id) => `${baseUrl}/admin/events/${slug}/registrations/${id}`;

      for (const id of ids.slice(0, 3)) {
        await page.goto(registration(id));
        assert.ok((await page.textContent('main')).includes(WORDING.pending));
        if (id === ids[0]) {
          await assertAccessible(page, 'a registration awaiting a decision (es)');
          await screenshot(page, 'es-1-decision');
        }
        await Promise.all([
          page.waitForURL(/done=approved/),
          page.getByRole('button', { name: WORDING.approve }).click(),
        ]);
        assert.equal((await page.locator('p.notice').textContent()).trim(), WORDING.approved);
      }

      await page.goto(registration(ids[3]));
      await page.locator('#reason').selectOption('no_place');
      await page.locator('#note').pressSequentially('La red ya tiene sus delegadas.');
      await Promise.all([
        page.waitForURL(/done=rejected/),
        page.getByRole('button', { name: WORDING.reject }).click(),
      ]);
      assert.equal((await page.locator('p.notice').textContent()).trim(), WORDING.rejected);

      await page.goto(`${baseUrl}/admin/events/${slug}/registrations?status=pending`);
      const boxes = page.locator('input[type=checkbox][name=approve]');
      assert.equal(await boxes.count(), 2, 'the two still awaiting a decision');
      await assertAccessible(page, 'registrations awaiting a decision (es)');
      await screenshot(page, 'es-2-selection');
      await boxes.nth(0).check();
      await boxes.nth(1).check();
      await Promise.all([
        page.waitForURL(/done=approved/),
        page.getByRole('button', { name: WORDING.selected }).click(),
      ]);

      const list = await api('GET', `/events/${slug}/registrations?per_page=50`);
      assert.equal(list.status, 200, JSON.stringify(list.body));
      const statuses = list.body.items.map((item) => item.status).sort();
      assert.deepEqual(
        statuses,
        ['confirmed', 'confirmed', 'confirmed', 'confirmed', 'rejected', 'waitlisted'],
        'the quota of 4 filled in the order of the decisions, the last in line',
      );
      const emails = await api('GET', `/events/${slug}/emails`);
      assert.equal(emails.status, 200, JSON.stringify(emails.body));
      const rejection = emails.body.items.filter((item) => item.kind === 'rejected');
      assert.equal(rejection.length, 1, 'one rejection email');
      assert.equal(rejection[0].language, 'es');
      assert.ok(rejection[0].subject.includes(WORDING.rejectedSubject), rejection[0].subject);
      assert.equal(emails.body.items.filter((item) => item.kind === 'approved').length, 5);
      assert.deepEqual(context.offsite, [], 'requests left 127.0.0.1');
    } finally {
      await context.close();
    }
  });
});
