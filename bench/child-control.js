// What both benchmark servers share: event-loop delay probes, and the runner's commands, one a
// line on stdin, each answered with one JSON line on stdout (after the ready line):
//   reset       forget the delays seen so far (sent after the warm-up)   -> {"reset":true}
//   loop-delay  the delays since the last reset, and the CPU time used    -> {"maxMs":…,"p99Ms":…,…,"cpuMs":…}
// and any `more` a server adds (a name -> a function of the rest of the line, answering a value or a
// promise of one). When stdin ends (the runner went away), `stop` is called.
// A server whose stdout is its own log (a sample server printing each payload) writes its ready line
// and answers to CONTROL_FD instead, through `controlLine` (bench/children.js: `stdoutLog`).
import { closeSync, openSync, readSync } from 'node:fs';
import { Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const RESOLUTION_MS = 1;
export const CONTROL_FD = 3;

let control;
/** Writes one JSON line to the runner on CONTROL_FD (opened on first use). */
export function controlLine(value) {
  control ??= new Socket({ fd: CONTROL_FD, readable: false, writable: true });
  control.write(JSON.stringify(value) + '\n');
}

/** `controlFd`: answer on CONTROL_FD, not stdout (see above). */
export function answerRunner(stop, more = {}, { controlFd = false } = {}) {
  // A timer every millisecond; each tick records how long it really took. A stall of the loop (a
  // long synchronous task) delays the next tick by that long, so the longest one shows up in `max`.
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const own = ownStallProbe();
  // CPU time (user + system, all threads) since the last reset: per request, what a server costs
  // whether or not the machine is busy with other work (the req/s of a shared machine varies).
  let cpuAt = process.cpuUsage();
  const reply = controlFd ? controlLine : (value) => process.stdout.write(JSON.stringify(value) + '\n');
  const commands = createInterface({ input: process.stdin });
  commands.on('line', (line) => {
    const command = line.trim();
    if (command === 'reset') {
      histogram.reset();
      own.reset();
      cpuAt = process.cpuUsage();
      reply({ reset: true });
    } else if (command === 'loop-delay') {
      const cpu = process.cpuUsage(cpuAt);
      reply({ ...loopDelay(histogram), maxOwnMs: own.maxMs(), cpuMs: (cpu.user + cpu.system) / 1000 });
    } else if (Object.hasOwn(more, command.split(' ')[0])) {
      const [name, ...rest] = command.split(' ');
      Promise.resolve()
        .then(() => more[name](rest.join(' ')))
        .then(reply, (error) => reply({ error: error instanceof Error ? error.message : String(error) }));
    } else {
      const names = ['reset', 'loop-delay', ...Object.keys(more)].join(', ');
      reply({ error: `unknown command "${command}"; the commands are ${names}` });
    }
  });
  commands.on('close', () => {
    own.close();
    stop();
  });
}

/**
 * In ms, the delay beyond the tick asked for: how long the loop could not run a timer that was due
 * (an idle loop reads about 0).
 */
function loopDelay(histogram) {
  const beyondTick = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  if (histogram.count === 0) return { maxMs: null, p99Ms: null, meanMs: null, samples: 0 };
  return {
    maxMs: beyondTick(histogram.max),
    p99Ms: beyondTick(histogram.percentile(99)),
    meanMs: beyondTick(histogram.mean),
    samples: histogram.count,
  };
}

/**
 * The longest stall less the time this process's main thread sat waiting for a CPU that other
 * processes held (Linux counts that wait in /proc/self/schedstat). On a machine shared with other
 * work the plain delay also holds those waits; this one holds mostly the loop's own work (a late
 * wake-up, or a host not running the virtual CPU, still counts). Null where the counter is missing.
 */
function ownStallProbe() {
  let fd;
  try {
    fd = openSync('/proc/self/schedstat', 'r');
  } catch {
    return { reset() {}, maxMs: () => null, close() {} };
  }
  const buffer = Buffer.alloc(128);
  const cpuWaitMs = () => Number(buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, 0)).split(' ')[1]) / 1e6;
  let max = 0;
  let lastAt = performance.now();
  let lastWait = cpuWaitMs();
  const timer = setInterval(() => {
    const now = performance.now();
    const wait = cpuWaitMs();
    max = Math.max(max, now - lastAt - RESOLUTION_MS - (wait - lastWait));
    lastAt = now;
    lastWait = wait;
  }, RESOLUTION_MS).unref();
  return {
    reset: () => (max = 0),
    maxMs: () => max,
    close: () => {
      clearInterval(timer);
      closeSync(fd);
    },
  };
}
