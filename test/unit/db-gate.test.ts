import { describe, expect, it } from 'vitest';
import { DatabaseGate } from '../../server/db/gate.js';

describe('the database gate', () => {
  it('closes on the first outage, wakes waiting reads, and opens once a probe succeeds', async () => {
    let up = false;
    let probes = 0;
    const gate = new DatabaseGate(async () => {
      probes++;
      if (!up) throw new Error('ECONNREFUSED');
    }, 5);
    expect(gate.closed).toBe(false);
    const waiting = gate.whenClosed();
    const cancelled = gate.whenClosed();
    cancelled.cancel();
    let cancelledWoke = false;
    void cancelled.closed.then(() => (cancelledWoke = true));

    gate.outageSeen();
    gate.outageSeen(); // one watcher, however many requests report it
    expect(gate.closed).toBe(true);
    await waiting.closed;
    await new Promise((r) => setTimeout(r, 30));
    expect(gate.closed).toBe(true);
    expect(probes).toBeGreaterThan(1);
    expect(cancelledWoke).toBe(false);

    up = true;
    for (let i = 0; i < 100 && gate.closed; i++) await new Promise((r) => setTimeout(r, 5));
    expect(gate.closed).toBe(false);
    const after = probes;
    await new Promise((r) => setTimeout(r, 30));
    expect(probes).toBe(after); // no probing while open
  });

  it('probes a request that waits too long, and closes only when the probe gets no answer', async () => {
    let answers = true;
    let probes = 0;
    const gate = new DatabaseGate(
      async () => {
        probes++;
        await new Promise((r) => setTimeout(r, 10));
        if (!answers) throw new Error('CONNECT_TIMEOUT');
      },
      5,
      20,
    );
    const quick = gate.watch();
    quick(); // done before suspicion: no probe
    await new Promise((r) => setTimeout(r, 40));
    expect(probes).toBe(0);

    const slow = gate.watch();
    await new Promise((r) => setTimeout(r, 60));
    slow();
    expect(probes).toBe(1);
    expect(gate.closed).toBe(false); // the database answered: a slow request, not an outage

    answers = false;
    const stuck = [gate.watch(), gate.watch(), gate.watch()];
    await new Promise((r) => setTimeout(r, 25));
    expect(probes).toBe(2); // one probe for all waiting requests
    await new Promise((r) => setTimeout(r, 20));
    expect(gate.closed).toBe(true);
    for (const s of stuck) s();
    answers = true;
    for (let i = 0; i < 100 && gate.closed; i++) await new Promise((r) => setTimeout(r, 5));
    expect(gate.closed).toBe(false);
  });
});
