/** The checker part of `npm run bench`: in-page time to verdict vs. `openclaw gateway probe`. */
import { performance } from 'node:perf_hooks';
import { browser } from '../tests/support/browser.ts';
import { sharedGateway } from '../tests/support/gateway.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchChecker(siteOrigin: string, runs = 20, probeRuns = 5) {
  console.log('\nstarting a real OpenClaw gateway for the checker figures…');
  const gateway = await sharedGateway('token');
  try {
    const context = await (await browser()).newContext();
    const page = await context.newPage();
    await page.goto(siteOrigin + '/checker/');
    const checker = page.locator('pairing-checker');
    await checker.getByLabel('Gateway URL').fill(gateway.wsUrl);
    await checker.getByLabel('Token', { exact: true }).fill(gateway.secret);
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const ms = await page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const root = document.querySelector<HTMLElement>('pairing-checker')!;
            const button = root.querySelector<HTMLButtonElement>('.checker-run')!;
            let t0 = 0;
            const watch = new MutationObserver(() => {
              const state = root.dataset.state;
              if (state === 'passed') resolve(performance.now() - t0);
              if (state === 'failed' || state === 'waiting') reject(new Error(`checker ended in ${state}`));
              if (state !== 'running') watch.disconnect();
            });
            watch.observe(root, { attributes: true, attributeFilter: ['data-state'] });
            t0 = performance.now();
            button.click();
          }),
      );
      if (i > 0) times.push(ms); // the first run also creates this profile's device key
    }
    await context.close();

    const probes: number[] = [];
    for (let i = 0; i < probeRuns; i++) {
      const t0 = performance.now();
      const r = await gateway.cli(['gateway', 'probe', '--url', gateway.wsUrl, '--token', gateway.secret, '--json']);
      probes.push(performance.now() - t0);
      if (r.code !== 0) console.log(`  (openclaw gateway probe exited ${r.code})`);
    }
    const verdictMs = median(times);
    const probeMs = median(probes);
    console.log(`checker, "Run check" → verdict: median ${verdictMs.toFixed(0)} ms of ${times.length} (target < 150 ms)`);
    console.log(`openclaw gateway probe, same gateway: median ${probeMs.toFixed(0)} ms of ${probes.length}`);
    console.log(`ratio: the checker is ${(probeMs / verdictMs).toFixed(0)}× faster (target ≥ 50×)`);
  } finally {
    await gateway.stop();
  }
}
