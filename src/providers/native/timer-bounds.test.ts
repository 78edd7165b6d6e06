// Listener timeouts longer than a Node timer holds saturate at 2^31 − 1 ms in the native data plane instead
// of wrapping to 1 ms (which would cut every connection at once).
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_TIMEOUTS } from '../../model/desired-state.ts';
import { compileListener } from './listener-config.ts';
import { NativeProvider } from './native-provider.ts';
import { freePort, listener, loadBalancer, member, pool } from './native-test-fixtures.ts';
import { MAX_TIMER_MS, timerMs } from './timer-bounds.ts';

const VIP = '127.0.20.10';
const BEYOND = 2 ** 32; // ms: what an unchecked store row or another front end could hand the data plane

/** A UDP member that answers each datagram after 150 ms: longer than the 1 ms an overflowing timer becomes. */
async function slowUdpEcho(address: string) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, from) => {
    setTimeout(() => socket.send(`late:${message}`, from.port, from.address), 150);
  });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return {
    address,
    port: socket.address().port,
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
}

/** Sends one datagram from a fresh socket; resolves with the reply, or '' after 2 s. */
async function ask(port: number, text: string): Promise<string> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const reply = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve(''), 2000);
    socket.once('message', (message) => {
      clearTimeout(timer);
      resolve(message.toString());
    });
    socket.send(text, port, VIP);
  });
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return reply;
}

describe('native timers', () => {
  it('saturate at the longest Node timer and keep 0 as no timeout', () => {
    assert.equal(timerMs(BEYOND), MAX_TIMER_MS);
    assert.equal(timerMs(Number.POSITIVE_INFINITY), MAX_TIMER_MS);
    assert.equal(timerMs(300), 300);
    assert.equal(timerMs(0), 0);
    assert.equal(timerMs(-1), 0);
    const timeouts = { clientData: BEYOND, memberConnect: BEYOND, memberData: BEYOND, tcpInspect: BEYOND };
    const compiled = compileListener(listener(80, { timeouts }), new Map());
    assert.deepEqual(Object.values(compiled.listener.timeouts), [
      MAX_TIMER_MS,
      MAX_TIMER_MS,
      MAX_TIMER_MS,
      MAX_TIMER_MS,
    ]);
  });

  describe('by traffic', () => {
    const provider = new NativeProvider();
    let echo: Awaited<ReturnType<typeof slowUdpEcho>>;
    before(async () => {
      echo = await slowUdpEcho('127.0.18.9');
    });
    after(async () => {
      await provider.close();
      await echo.close();
    });

    it('keeps a UDP session for a late reply when timeout_client_data is beyond a timer', async () => {
      const port = await freePort(VIP, 'udp');
      const p = pool([member(echo.address, echo.port)], { protocol: 'UDP' });
      const timeouts = { ...DEFAULT_TIMEOUTS, clientData: BEYOND };
      const l = listener(port, { protocol: 'UDP', defaultPoolId: p.id, timeouts });
      const lb = loadBalancer(VIP, [l], [p]);
      await provider.apply(lb);
      assert.equal(await ask(port, 'x'), 'late:x');
      await provider.remove(lb.id);
    });
  });
});
