/**
 * Answer 503 at once during a database outage. postgres.js serves the queries queued for a connection
 * one per reconnect attempt, so while the database is down the k-th waiting request waits about
 * k / pool-size reconnect delays (each up to `connect_timeout` when the host does not answer) before
 * its 503. Once a request meets the outage the gate closes: requests answer 503 without queueing,
 * and a probe on a connection of its own (outside the pool's queue) opens the gate again as soon as
 * the database answers. Reads already waiting when it closes are answered 503 too (`whenClosed`); a
 * write keeps waiting for its real outcome, so that a 503 never hides a write that commits later.
 * A single dropped connection closes the gate for one probe round at most.
 *
 * When the host does not answer at all (a network partition), nothing fails: queries on open
 * connections just wait. So a request still waiting after `suspectAfterMs` has the gate probe once;
 * a probe that gets no answer (the probe gives up within ~2.5 s) is an outage like any other.
 */
export class DatabaseGate {
  #closed = false;
  #checking = false;
  #waiters: (() => void)[] = [];

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly everyMs = 250,
    private readonly suspectAfterMs = 1000,
  ) {}

  /** True while an outage was seen and the database has not answered a probe since. */
  get closed(): boolean {
    return this.#closed;
  }

  /** A request met the outage: close the gate until a probe succeeds. */
  outageSeen(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w();
    void this.#watch();
  }

  /** Resolves when the gate closes; `cancel` when no longer interested. */
  whenClosed(): { closed: Promise<void>; cancel(): void } {
    let wake!: () => void;
    const closed = new Promise<void>((r) => (wake = r));
    this.#waiters.push(wake);
    return { closed, cancel: () => void (this.#waiters = this.#waiters.filter((w) => w !== wake)) };
  }

  /** A request starts waiting on the database; call the result when it is done. */
  watch(): () => void {
    const timer = setTimeout(() => this.suspect(), this.suspectAfterMs).unref();
    return () => clearTimeout(timer);
  }

  /** Something waits longer than the database should take: probe once (one probe at a time). */
  suspect(): void {
    if (this.#closed || this.#checking) return;
    this.#checking = true;
    this.probe().then(
      () => void (this.#checking = false),
      () => {
        this.#checking = false;
        this.outageSeen();
      },
    );
  }

  async #watch() {
    while (this.#closed) {
      await new Promise((r) => setTimeout(r, this.everyMs).unref());
      try {
        await this.probe();
        this.#closed = false;
      } catch {
        /* still down */
      }
    }
  }
}
