// Headless Debian Chromium driven over the Chrome DevTools Protocol with Node's own WebSocket and fetch: one
// page that navigates, evaluates JavaScript and waits for conditions. Protocol reference:
// https://chromedevtools.github.io/devtools-protocol/ (Page.navigate, Runtime.evaluate, Target domain).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

export const chromiumMissing: string | false = fs.existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is not installed (apt-get install chromium)`;

// The flags that work on this kind of machine: as root Chromium needs --no-sandbox, and without the
// background-networking flags it keeps calling Google's hosts, which the closed network refuses. Exported for
// playwright-core's launch (test/e2e/dashboard.test.ts), which sets headless mode and its own debugging pipe.
export const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-breakpad',
  '--disable-crash-reporter',
  '--disable-dev-shm-usage',
  '--window-size=1400,1000',
  '--remote-debugging-address=127.0.0.1',
  '--remote-debugging-port=0',
] as const;

export type ChromiumPage = {
  /** Loads `url` and waits for the document to be complete. */
  navigate(url: string): Promise<void>;
  /** The value of a JavaScript expression in the page (promises awaited); a thrown error rejects. */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` until it is truthy and returns its value; fails after `timeoutMs` saying `what`. */
  waitFor<T>(expression: string, what: string, timeoutMs?: number): Promise<T>;
  /** A PNG of the page, for a failing test to leave behind. */
  screenshot(file: string): Promise<void>;
  close(): Promise<void>;
};

/** A DevTools result, loosely typed on purpose: each method answers its own shape. */
type CdpResult = ReturnType<typeof JSON.parse>;
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export async function launchChromium(): Promise<ChromiumPage> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-chromium-'));
  const child: ChildProcess = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chromium did not start:\n${stderr}`)), 30_000);
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`chromium exited (${code}):\n${stderr}`)));
  });
  const targets = (await (await fetch(`http://${new URL(endpoint).host}/json/list`)).json()) as {
    type: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.type === 'page');
  if (!target) throw new Error('chromium has no page');
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', () => reject(new Error('DevTools socket failed')), { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, Pending>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data));
    if (message.id !== undefined) {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(`${message.error.message} ${message.error.data ?? ''}`));
      else waiter?.resolve(message.result);
    } else if (message.method === 'Page.javascriptDialogOpening') {
      void send('Page.handleJavaScriptDialog', { accept: true });
    }
  });
  const send = (method: string, params: object = {}) =>
    new Promise<CdpResult>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send('Page.enable');

  const evaluate = async <T>(expression: string): Promise<T> => {
    const result = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (result.exceptionDetails) {
      const details = result.exceptionDetails;
      throw new Error(`in page: ${details.exception?.description ?? details.text}`);
    }
    return result.result.value as T;
  };
  const waitFor = async <T>(expression: string, what: string, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const value = await evaluate<T>(expression);
        if (value) return value;
        last = value;
      } catch (error) {
        // A navigation destroys the context mid-evaluation: try again in the new document.
        last = error;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  return {
    evaluate,
    waitFor,
    async navigate(url) {
      const result = await send('Page.navigate', { url });
      if (result.errorText) throw new Error(`navigate ${url}: ${result.errorText}`);
      await waitFor(
        `document.readyState === 'complete' && location.href !== 'about:blank'`,
        `${url} to load`,
      );
    },
    async screenshot(file) {
      const { data } = await send('Page.captureScreenshot', { format: 'png' });
      fs.writeFileSync(file, Buffer.from(data, 'base64'));
    },
    async close() {
      socket.close();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
