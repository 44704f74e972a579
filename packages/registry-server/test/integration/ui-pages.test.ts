import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, screenshot } from './browser.js';
import { http, startAgent, type AgentProcess } from './harness.js';

/**
 * The web UI in a real Chromium against a real agent (issue 11): the services, service, nodes
 * and node pages show the registry's state and follow it live; Consul's URLs load directly,
 * on reload and through the browser's history.
 */
describe('web UI pages', function () {
  this.timeout(60000);
  let agent: AgentProcess;
  let browser: Browser;
  let node: string;
  const pages: Page[] = [];
  /** Script errors of each page opened by the running test. */
  const errors: string[][] = [];

  const put = async (path: string, body?: unknown) => {
    const res = await http(`${agent.url}${path}`, { method: 'PUT', body: body === undefined ? undefined : JSON.stringify(body) });
    expect(res.status, `${path}: ${res.text}`).to.equal(200);
  };
  const register = (id: string, name: string, port: number, status: string, extra: Record<string, unknown> = {}) =>
    put('/v1/agent/service/register', { ID: id, Name: name, Port: port, ...extra, Check: { CheckID: `${id}-ttl`, Name: `${id} alive`, TTL: '10m', Status: status, Notes: `TTL of ${id}` } });
  const open = async (path: string, prepare?: (page: Page) => Promise<unknown>) => {
    const { page, errors: e } = await openPage(browser);
    pages.push(page);
    errors.push(e);
    await prepare?.(page);
    await page.goto(`${agent.url}${path}`);
    return page;
  };
  const text = async (page: Page, selector: string) => (await page.locator(selector).innerText()).trim();

  before(async () => {
    agent = await startAgent(['-dev', '-node-meta=rack:r1']);
    node = (JSON.parse((await http(`${agent.url}/v1/agent/self`)).text) as { Config: { NodeName: string } }).Config.NodeName;
    await register('web-1', 'web', 8080, 'passing', { Tags: ['v1', 'http'], Meta: { version: '1.2' } });
    await register('web-2', 'web', 8081, 'warning', { Tags: ['v2'] });
    await register('db-1', 'db', 5432, 'critical', { Tags: ['primary'] });
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

  it('/ leads to the local datacenter\'s services, each with its instance count, health by state and tags', async () => {
    const page = await open('/');
    await page.waitForURL('**/ui/dc1/services');
    const web = 'tr[data-service="web"]';
    await page.locator(`${web} .health [data-status="warning"]`).waitFor();
    expect(await text(page, `${web} .instances`)).to.equal('2');
    expect(await text(page, `${web} .health [data-status="passing"]`)).to.contain('1 passing');
    expect(await text(page, `${web} .health [data-status="warning"]`)).to.contain('1 warning');
    await page.locator('tr[data-service="db"] .health [data-status="critical"]').waitFor();
    expect(await text(page, 'tr[data-service="db"] .health')).to.contain('1 critical');
    expect(await page.locator(`${web} .tag`).allInnerTexts()).to.deep.equal(['http', 'v1', 'v2']);
    await screenshot(page, 'services');

    await page.getByLabel('Search by name or tag').fill('primary');
    await page.locator(web).waitFor({ state: 'detached' });
    expect(await page.locator('tbody tr').count()).to.equal(1);
    await page.getByLabel('Search by name or tag').fill('');
    await page.getByLabel('Health').selectOption('critical');
    await page.locator(web).waitFor({ state: 'detached' });
    expect(await page.locator('tbody tr[data-service]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-service')))).to.deep.equal(['db']);
  });

  it('a service shows each instance: node, address:port, tags, meta, every check with status, output and notes, maintenance', async () => {
    await put('/v1/agent/service/maintenance/web-2?enable=true&reason=deploying%20v2');
    const page = await open('/ui/dc1/services/web/instances');
    const one = page.locator('[data-instance="web-1"]');
    await one.waitFor();
    expect(await one.locator('a', { hasText: node }).count()).to.equal(1);
    expect(await text(page, '[data-instance="web-1"] .address')).to.equal('127.0.0.1:8080');
    expect(await one.locator('.tag').allInnerTexts()).to.deep.equal(['v1', 'http']);
    expect(await one.getByLabel('Service meta').innerText()).to.match(/version\s+1\.2/);
    const check = one.locator('[data-check-id="web-1-ttl"]');
    expect(await check.getAttribute('data-status')).to.equal('passing');
    expect(await check.innerText()).to.contain('Notes: TTL of web-1');
    expect(await one.locator('[data-check-id="serfHealth"]').getAttribute('data-status')).to.equal('passing');
    const two = page.locator('[data-instance="web-2"]');
    await two.locator('.maintenance').waitFor();
    expect(await two.locator('.maintenance').innerText()).to.equal('In maintenance: deploying v2');
    expect(await two.locator('[data-check-id="_service_maintenance:web-2"]').getAttribute('data-status')).to.equal('critical');
    expect(await one.locator('.maintenance').count()).to.equal(0);
    await screenshot(page, 'service');
    await put('/v1/agent/service/maintenance/web-2?enable=false');
    await two.locator('.maintenance').waitFor({ state: 'detached' });
  });

  it('a check that changes shows on the open pages without a reload (blocking queries)', async () => {
    const service = await open('/ui/dc1/services/web');
    const list = await open('/ui/dc1/services');
    const check = service.locator('[data-instance="web-1"] [data-check-id="web-1-ttl"]');
    await check.waitFor();
    await list.locator('tr[data-service="web"] .health [data-status="warning"]').waitFor();
    // A reload would lose these marks.
    for (const p of [service, list]) await p.evaluate(() => ((window as unknown as { mark: number }).mark = 1));
    const started = Date.now();
    await put('/v1/agent/check/update/web-1-ttl', { Status: 'critical', Output: 'connection refused' });
    await service.locator('[data-instance="web-1"] [data-check-id="web-1-ttl"][data-status="critical"]').waitFor();
    const seenAfter = Date.now() - started;
    expect(await check.locator('.check-output').innerText()).to.equal('connection refused');
    await list.locator('tr[data-service="web"] .health [data-status="critical"]').waitFor();
    expect(await text(list, 'tr[data-service="web"] .health')).to.contain('1 critical');
    for (const p of [service, list]) expect(await p.evaluate(() => (window as unknown as { mark?: number }).mark)).to.equal(1);
    console.log(`      (the service page showed the change ${seenAfter} ms after the write)`);
    await put('/v1/agent/check/update/web-1-ttl', { Status: 'passing' });
  });

  it('the nodes list and a node: address, meta, serfHealth and the other node checks, its services with their checks', async () => {
    await put('/v1/agent/check/register', { CheckID: 'disk', Name: 'disk space', TTL: '10m', Status: 'warning' });
    const page = await open('/ui/dc1/nodes');
    const row = page.locator(`tr[data-node="${node}"]`);
    await row.locator('.health [data-status="warning"]').waitFor();
    expect(await row.innerText()).to.contain('127.0.0.1');
    await screenshot(page, 'nodes');
    await row.getByRole('link', { name: node }).click();
    await page.waitForURL(`**/ui/dc1/nodes/${node}`);
    await page.getByRole('heading', { name: node }).waitFor();
    const nodeChecks = page.getByLabel('Node checks');
    await nodeChecks.locator('[data-check-id="serfHealth"][data-status="passing"]').waitFor();
    expect(await nodeChecks.locator('[data-check-id="disk"]').getAttribute('data-status')).to.equal('warning');
    expect(await page.getByLabel('Node meta').innerText()).to.match(/rack\s+r1/);
    const services = page.getByLabel('services on this node');
    expect(await services.locator('[data-instance]').evaluateAll((els) => els.map((e) => e.getAttribute('data-instance')).sort())).to.deep.equal(['consul', 'db-1', 'web-1', 'web-2']);
    expect(await services.locator('[data-instance="db-1"] [data-check-id="db-1-ttl"]').getAttribute('data-status')).to.equal('critical');
    await screenshot(page, 'node');
    await http(`${agent.url}/v1/agent/check/deregister/disk`, { method: 'PUT' });
  });

  it('Consul\'s URLs load directly, on reload, and with the back and forward buttons', async () => {
    const page = await open('/ui/dc1/services/web/instances');
    await page.getByRole('heading', { name: 'web', exact: true }).waitFor();
    await page.reload();
    await page.locator('[data-instance="web-2"]').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Nodes' }).click();
    await page.waitForURL('**/ui/dc1/nodes');
    await page.locator(`tr[data-node="${node}"]`).waitFor();
    await page.goBack();
    await page.waitForURL('**/ui/dc1/services/web/instances');
    await page.locator('[data-instance="web-1"]').waitFor();
    await page.goForward();
    await page.waitForURL('**/ui/dc1/nodes');
    await page.getByRole('heading', { name: 'Nodes' }).waitFor();
    await page.goto(`${agent.url}/ui/dc1/services/db`);
    await page.locator('[data-instance="db-1"]').waitFor();
    await page.goto(`${agent.url}/ui/dc1/nodes/${node}`);
    await page.getByLabel('Node checks').waitFor();
  });

  it('can be driven from the keyboard: Tab reaches the navigation and Enter follows it', async () => {
    const page = await open('/ui/dc1/services');
    await page.getByRole('heading', { name: 'Services' }).waitFor();
    let focused = '';
    for (let i = 0; i < 10 && focused !== 'Nodes'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    }
    expect(focused).to.equal('Nodes');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/ui/dc1/nodes');
  });

  it('with several datacenters known, a menu in the header switches between them', async () => {
    // A Praetor agent knows only its own datacenter: the list of two is the one answer made up here.
    const page = await open('/ui/dc1/nodes', (p) => p.route('**/v1/catalog/datacenters', (r) => r.fulfill({ json: ['dc1', 'dc2'] })));
    // The select only: until the list arrives the header shows the datacenter as plain text.
    const menu = page.getByRole('combobox', { name: 'Datacenter' });
    expect(await menu.inputValue()).to.equal('dc1');
    await menu.selectOption('dc2');
    await page.waitForURL('**/ui/dc2/nodes');
    // Each read now asks for dc2, which this agent cannot reach, and the page says so.
    await page.getByRole('alert').filter({ hasText: 'No path to datacenter' }).waitFor();
  });
});
