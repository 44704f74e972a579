import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage, screenshot } from './browser.js';
import { freePort, http, startAgent, type AgentProcess } from './harness.js';

/** A page whose agent goes away shows a banner, and recovers by itself when an agent answers again (issue 11). */
describe('web UI connection banner', function () {
  this.timeout(60000);
  let agent: AgentProcess | undefined;
  let browser: Browser | undefined;
  after(async () => {
    await browser?.close();
    await agent?.stop();
  });

  it('shows while the agent is down and goes away, with the new data, once it is back; no reload', async () => {
    const port = await freePort();
    agent = await startAgent(['-dev', `-http-port=${port}`]);
    browser = await launchChromium();
    const { page, errors } = await openPage(browser);
    await page.goto(`${agent.url}/ui/dc1/services`);
    await page.locator('tr[data-service="consul"]').waitFor();
    await page.evaluate(() => ((window as unknown as { mark: number }).mark = 1));
    const banner = page.getByRole('alert').filter({ hasText: 'connection to the agent is lost' });
    expect(await banner.count()).to.equal(0);

    await agent.stop();
    await banner.waitFor();
    await screenshot(page, 'connection-lost');

    agent = await startAgent(['-dev', `-http-port=${port}`]);
    const put = await http(`${agent.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'after-restart', Port: 1 }) });
    expect(put.status).to.equal(200);
    await banner.waitFor({ state: 'detached' });
    await page.locator('tr[data-service="after-restart"]').waitFor();
    expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark)).to.equal(1);
    expect(errors).to.deep.equal([]);
  });
});
