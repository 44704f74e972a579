import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot } from './browser.js';
import { http, startAgent, type AgentProcess } from './harness.js';

/**
 * The KV browser and the sessions page in a real Chromium against a real agent (issue 11):
 * what is done through the UI is checked through the HTTP API, and two editors of one key
 * cannot overwrite each other silently.
 */
describe('web UI key/value and sessions', function () {
  this.timeout(60000);
  let agent: AgentProcess;
  let browser: Browser;
  const pages: Page[] = [];
  const errors: string[][] = [];

  const api = (path: string, method = 'GET', body?: string) => http(`${agent.url}${path}`, { method, body });
  const raw = async (key: string) => {
    const res = await api(`/v1/kv/${key}?raw`);
    return res.status === 404 ? null : res.text;
  };
  const open = async (path: string) => {
    const { page, errors: e } = await openPage(browser);
    pages.push(page);
    errors.push(e);
    await page.goto(`${agent.url}${path}`);
    return page;
  };
  /** Waits until the API shows `want` for `key` (the UI's write is answered before the page moves on, but the test does not watch the page). */
  const apiValue = async (page: Page, key: string, want: string | null) => {
    await page.waitForFunction(async ([k, w]) => {
      const res = await fetch(`/v1/kv/${k}?raw`);
      return res.status === 404 ? w === null : (await res.text()) === w;
    }, [key, want] as const);
    expect(await raw(key)).to.equal(want);
  };

  before(async () => {
    agent = await startAgent(['-dev']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await agent?.stop();
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.context().close();
    expect(errors.splice(0).flat(), 'script errors in the page').to.deep.equal([]);
  });

  it('creates, edits and deletes a key through the UI; the HTTP API sees each step', async () => {
    const page = await open('/ui/dc1/kv/');
    await page.getByRole('heading', { name: 'Key/Value' }).waitFor();
    await page.getByRole('link', { name: 'Create' }).click();
    await page.waitForURL('**/ui/dc1/kv/create');
    await page.getByLabel('Key or folder name').fill('app/config.json');
    await page.getByLabel('Check as').selectOption('json');
    await page.getByLabel('Value').fill('{"port": 8080');
    await page.locator('#value-problem', { hasText: 'Invalid JSON' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create' }).isDisabled()).to.equal(true);
    await page.getByLabel('Value').fill('{"port": 8080}');
    await page.locator('#value-problem', { hasText: 'Valid JSON.' }).waitFor();
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL('**/ui/dc1/kv/app/config.json/edit');
    await apiValue(page, 'app/config.json', '{"port": 8080}');

    // The folder listing shows it, and the editor (reached through the folder) edits it.
    await page.goto(`${agent.url}/ui/dc1/kv/app/`);
    await page.locator('tr[data-key="app/config.json"]').waitFor();
    await screenshot(page, 'kv-folder');
    await page.getByRole('link', { name: 'config.json' }).click();
    await page.waitForURL('**/ui/dc1/kv/app/config.json/edit');
    expect(await page.getByLabel('Check as').inputValue()).to.equal('json');
    await page.getByLabel('Value').fill('{"port": 9090}');
    await page.getByRole('button', { name: 'Format JSON' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await apiValue(page, 'app/config.json', '{\n  "port": 9090\n}');
    await screenshot(page, 'kv-edit');

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete app/config.json' }).click();
    await page.waitForURL('**/ui/dc1/kv/app/');
    await apiValue(page, 'app/config.json', null);
  });

  it('keys with spaces, percent signs and non-ASCII letters have working links and deep links', async () => {
    const key = 'odd dir/ünïcode 100% key';
    const path = key.split('/').map(encodeURIComponent).join('/');
    await api(`/v1/kv/${path}`, 'PUT', 'odd value');
    const page = await open(`/ui/dc1/kv/${encodeURIComponent('odd dir')}/`);
    await page.getByRole('link', { name: 'ünïcode 100% key' }).click();
    await page.waitForURL((u) => u.pathname === `/ui/dc1/kv/${path}/edit`);
    expect(await page.getByLabel('Value').inputValue()).to.equal('odd value');
    await page.reload();
    expect(await page.getByLabel('Value').inputValue()).to.equal('odd value');
    await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: 'odd dir' }).click();
    await page.locator(`tr[data-key="${key}"]`).waitFor();
  });

  it('a YAML value is checked as YAML', async () => {
    const page = await open('/ui/dc1/kv/create');
    await page.getByLabel('Key or folder name').fill('app/values.yaml');
    await page.getByLabel('Check as').selectOption('yaml');
    await page.getByLabel('Value').fill('a: [1, 2\nb: c');
    await page.locator('#value-problem', { hasText: 'Invalid YAML' }).waitFor();
    await page.getByLabel('Value').fill('a: [1, 2]\nb: c\n');
    await page.locator('#value-problem', { hasText: 'Valid YAML.' }).waitFor();
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL('**/ui/dc1/kv/app/values.yaml/edit');
    await apiValue(page, 'app/values.yaml', 'a: [1, 2]\nb: c\n');
  });

  it('a key that exists is not replaced by Create', async () => {
    await api('/v1/kv/taken', 'PUT', 'first');
    const page = await open('/ui/dc1/kv/create');
    await page.getByLabel('Key or folder name').fill('taken');
    await page.getByLabel('Value').fill('second');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('alert').filter({ hasText: 'taken already exists' }).waitFor();
    expect(await raw('taken')).to.equal('first');
  });

  it('the folder list follows changes live, and Delete folder removes everything under it', async () => {
    await api('/v1/kv/tree/a', 'PUT', '1');
    const page = await open('/ui/dc1/kv/tree/');
    await page.locator('tr[data-key="tree/a"]').waitFor();
    await api('/v1/kv/tree/sub/b', 'PUT', '2');
    await page.locator('tr[data-key="tree/sub/"]').waitFor();
    await page.getByRole('button', { name: 'Delete folder' }).click();
    await page.getByRole('button', { name: 'Delete tree/ and everything in it' }).click();
    await page.waitForURL((u) => u.pathname === '/ui/dc1/kv/');
    expect((await api('/v1/kv/tree/?keys')).status).to.equal(404);
  });

  it('two editors of one key: the second save is refused with a clear conflict, and nothing is overwritten', async () => {
    await api('/v1/kv/shared', 'PUT', 'original');
    const first = await open('/ui/dc1/kv/shared/edit');
    const second = await open('/ui/dc1/kv/shared/edit');
    for (const p of [first, second]) expect(await p.getByLabel('Value').inputValue()).to.equal('original');
    await first.getByLabel('Value').fill('from the first editor');
    await first.getByRole('button', { name: 'Save' }).click();
    await first.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    // The second page learns of it live, before it even saves.
    await second.locator('.notice', { hasText: 'changed elsewhere' }).waitFor();
    await second.getByLabel('Value').fill('from the second editor');
    await second.getByRole('button', { name: 'Save' }).click();
    const conflict = second.getByRole('alert').filter({ hasText: 'Conflict' });
    await conflict.waitFor();
    expect(await conflict.innerText()).to.contain('your edit was not saved');
    await screenshot(second, 'kv-conflict');
    expect(await raw('shared')).to.equal('from the first editor');
    // The second editor may then overwrite knowingly.
    await second.getByRole('button', { name: 'Overwrite with my edit' }).click();
    await second.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await raw('shared')).to.equal('from the second editor');
  });

  it('sessions: each with the locks it holds; Destroy releases them', async () => {
    const session = JSON.parse((await api('/v1/session/create', 'PUT', JSON.stringify({ Name: 'deploy-lock', TTL: '60s' }))).text) as { ID: string };
    expect((await api(`/v1/kv/locks/deploy?acquire=${session.ID}`, 'PUT', 'me')).text).to.equal('true');
    const page = await open('/ui/dc1/sessions');
    const row = page.locator(`tr[data-session="${session.ID}"]`);
    await row.locator('.locks a', { hasText: 'locks/deploy' }).waitFor();
    expect(await row.innerText()).to.contain('deploy-lock');
    await screenshot(page, 'sessions');
    await row.getByRole('button', { name: 'Destroy deploy-lock' }).click();
    await row.getByRole('button', { name: 'Really destroy' }).click();
    await row.waitFor({ state: 'detached' });
    expect(JSON.parse((await api('/v1/session/list')).text)).to.deep.equal([]);
    const entry = JSON.parse((await api('/v1/kv/locks/deploy')).text) as Array<{ Session?: string }>;
    expect(entry[0].Session).to.equal(undefined);
  });
});
