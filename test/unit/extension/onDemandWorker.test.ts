import * as assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { OnDemandWorker, type InFlight } from '../../../src/extension/model/onDemandWorker';
import { waitFor } from '../../support/waitFor';

/** Replies `{ thread, n }` after `wait` ms; exits (the thread dies) when asked to. */
const ECHO_SOURCE = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ id, request: { n, wait, die } }) => {
  if (die) process.exit(1);
  setTimeout(() => parentPort.postMessage({ id, reply: { thread: threadId, n } }), wait);
});
`;

interface Request {
  n: number;
  wait?: number;
  die?: boolean;
}
interface Reply {
  thread: number;
  n: number;
}

type Outcome = { replied: Reply } | { lost: 'stopped' | 'died' };

describe('OnDemandWorker (the extension’s worker threads: started on demand, stopped when idle)', () => {
  const started: Worker[] = [];
  const startEcho = () => {
    const worker = new Worker(ECHO_SOURCE, { eval: true });
    started.push(worker);
    return worker;
  };
  let worker: OnDemandWorker<Request, Reply>;

  /** Posts `request`; the promise settles with what its sender hears (never: nothing was posted). */
  const ask = (request: Request): { posted: boolean; outcome: Promise<Outcome> } => {
    let posted = false;
    const outcome = new Promise<Outcome>((resolve) => {
      const inFlight: InFlight<Reply> = {
        replied: (r) => resolve({ replied: r }),
        lost: (why) => resolve({ lost: why }),
      };
      posted = worker.post(request, inFlight);
    });
    return { posted, outcome };
  };

  beforeEach(() => {
    started.length = 0;
    worker = new OnDemandWorker(startEcho, 50);
  });
  afterEach(() => worker.stop());

  it('gives each request its own reply, whatever order the worker replies in, from one thread', async () => {
    const asked = [40, 0, 20, 5].map((wait, n) => ask({ n, wait }));
    assert.ok(asked.every((a) => a.posted));
    const outcomes = await Promise.all(asked.map((a) => a.outcome));
    assert.deepEqual(
      outcomes.map((o) => ('replied' in o ? o.replied.n : o)),
      [0, 1, 2, 3],
    );
    assert.equal(started.length, 1);
  });

  it('tells every request in flight that the worker died, and starts no other: later requests are the caller’s', async () => {
    const slow = ask({ n: 0, wait: 10_000 });
    const dying = ask({ n: 1, die: true });
    assert.deepEqual(await slow.outcome, { lost: 'died' });
    assert.deepEqual(await dying.outcome, { lost: 'died' });
    assert.equal(ask({ n: 2 }).posted, false);
    assert.equal(started.length, 1);
  });

  it('posts nothing when the worker cannot start, and does not try again', () => {
    let tries = 0;
    worker = new OnDemandWorker(() => {
      tries++;
      throw new Error('no threads here');
    });
    assert.equal(ask({ n: 0 }).posted, false);
    assert.equal(ask({ n: 1 }).posted, false);
    assert.equal(tries, 1);
  });

  it('stops the worker once idle; the next request starts a new one', async () => {
    const first = await ask({ n: 0 }).outcome;
    await once(started[0], 'exit');
    const second = await ask({ n: 1 }).outcome;
    assert.equal(started.length, 2);
    assert.ok('replied' in first && 'replied' in second);
    assert.notEqual(second.replied.thread, first.replied.thread);
  });

  it('keeps a busy worker past the idle time', async () => {
    const outcome = await ask({ n: 0, wait: 200 }).outcome;
    assert.deepEqual(outcome, { replied: { thread: started[0].threadId, n: 0 } });
    assert.equal(started.length, 1);
  });

  it('tells requests in flight when it is stopped; the next request starts a new worker', async () => {
    const running = ask({ n: 0, wait: 10_000 });
    worker.stop();
    assert.deepEqual(await running.outcome, { lost: 'stopped' });
    assert.ok('replied' in (await ask({ n: 1 }).outcome));
    assert.equal(started.length, 2);
  });

  it('ignores a reply a stopped worker sent before it ended: the new worker still stops when idle', async () => {
    // A reply already queued when stop() ran cannot be produced on demand by a real thread:
    // stand-ins that reply when told and record being terminated.
    const stand: (EventEmitter & { terminated: boolean; posted: { id: number }[] })[] = [];
    const startStandIn = () => {
      const w = Object.assign(new EventEmitter(), {
        terminated: false,
        posted: [] as { id: number }[],
        unref: () => undefined,
        postMessage(message: { id: number }) {
          w.posted.push(message);
        },
        terminate() {
          w.terminated = true;
          return Promise.resolve(0);
        },
      });
      stand.push(w);
      return w as unknown as Worker;
    };
    const onDemand = new OnDemandWorker<Request, Reply>(startStandIn, 30);
    const heard: Outcome[] = [];
    const inFlight: InFlight<Reply> = {
      replied: (r) => heard.push({ replied: r }),
      lost: (why) => heard.push({ lost: why }),
    };
    onDemand.post({ n: 0 }, inFlight);
    onDemand.stop();
    onDemand.post({ n: 1 }, inFlight);
    stand[1].emit('message', { id: stand[1].posted[0].id, reply: { thread: 2, n: 1 } });
    stand[0].emit('message', { id: stand[0].posted[0].id, reply: { thread: 1, n: 0 } });
    assert.deepEqual(heard, [{ lost: 'stopped' }, { replied: { thread: 2, n: 1 } }]);
    await waitFor('the new worker to stop once idle (30 ms)', () => stand[1].terminated);
  });
});
