// Report rendering at scale: `npm run bench:reports` (builds first).
// For journals of 1k, 10k and 100k events it renders every report (Markdown and HTML for both
// audiences, JSON, JUnit) in a fresh process and prints the time taken and the peak memory.
// The fold streams the journal and keeps probe samples as a bounded series, so peak memory
// should barely grow with the journal, while the journal file grows a hundredfold.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJournal } from './journal-generator.mjs';

const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const root = mkdtempSync(join(tmpdir(), 'firedrill-bench-'));
const rows = [];
try {
  for (const size of sizes) {
    const dir = join(root, String(size));
    mkdirSync(dir, { recursive: true });
    const entries = writeJournal(join(dir, 'journal.jsonl'), size);
    const out = execFileSync(process.execPath, [join(import.meta.dirname, 'render-reports.mjs'), dir], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop());
    rows.push({
      events: entries,
      'journal MB': (statSync(join(dir, 'journal.jsonl')).size / 2 ** 20).toFixed(1),
      'render s': (result.ms / 1000).toFixed(2),
      'peak RSS MB': (result.maxRssKb / 1024).toFixed(0),
      'peak heap MB': (result.peakHeapBytes / 2 ** 20).toFixed(0),
      'engineering.html KB': (statSync(join(dir, 'report.engineering.html')).size / 1024).toFixed(0),
    });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log(`node ${process.version}, reports in every format and both audiences`);
console.table(rows);
