#!/usr/bin/env node
// What two threads can give on this machine (issue 9's "≥ 1.7× from 1 to 2 workers"), apart from
// kitei: `node bench/cores.mjs`. Three workloads, each run on one worker thread and then on two at
// once (twice the work): pure arithmetic (no memory traffic), streaming through a 64 MiB array
// (memory bandwidth), and allocating short-lived objects (the young generation, as parsing and
// evaluating do). The speed-up printed is twice the one-thread time over the two-thread wall
// time: 2.00× when the threads do not slow each other down. Nothing is asserted; the figures are
// in docs/performance.md.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

function arithmetic() {
  let x = 0;
  for (let i = 0; i < 400_000_000; i++) x = (x * 1664525 + 1013904223 + i) | 0;
  return x;
}

function memory() {
  const a = new Int32Array((64 << 20) >> 2);
  let s = 0;
  // One read and one write per 64-byte cache line, 40 passes.
  for (let r = 0; r < 40; r++) {
    for (let i = 0; i < a.length; i += 16) {
      a[i] += r;
      s += a[i];
    }
  }
  return s;
}

function allocation() {
  let keep = [];
  for (let i = 0; i < 6_000_000; i++) {
    keep.push({ a: i, b: String(i), c: [i] });
    if (keep.length > 200_000) keep = [];
  }
  return keep.length;
}

const WORKLOADS = { arithmetic, memory, allocation };

if (!isMainThread) {
  const start = performance.now();
  WORKLOADS[workerData]();
  parentPort.postMessage(performance.now() - start);
} else {
  const run = (name) => new Promise((resolve, reject) => new Worker(new URL(import.meta.url), { workerData: name }).once('message', resolve).once('error', reject));
  for (const name of Object.keys(WORKLOADS)) {
    const one = await run(name);
    const start = performance.now();
    const two = await Promise.all([run(name), run(name)]);
    const wall = performance.now() - start;
    console.log(`${name.padEnd(10)} one thread ${one.toFixed(0)} ms; two threads ${two.map((t) => t.toFixed(0)).join(' and ')} ms (wall ${wall.toFixed(0)} ms): ${((2 * one) / wall).toFixed(2)}×`);
  }
}
