// Child process of bench/reports.mjs: renders one run directory in every format and prints
// its own figures as JSON, so each measurement starts from a fresh process.
import { writeReports } from '../dist/report/write-reports.js';

const dir = process.argv[2];
const started = process.hrtime.bigint();
let peakHeap = 0;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5);
const { files } = await writeReports(dir);
clearInterval(sampler);
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
console.log(JSON.stringify({ ms, files: files.length, maxRssKb: process.resourceUsage().maxRSS, peakHeapBytes: peakHeap }));
