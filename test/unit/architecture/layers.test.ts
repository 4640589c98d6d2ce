import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readImportGraph } from '../../support/import-graph.js';
import { layerProblems } from '../../support/layer-check.js';
import { LAYERS } from '../../support/layers.js';

const SRC = join(import.meta.dirname, '../../../src');

describe('the layers of src/', () => {
  it('hold: no folder imports one above it, no package outside its layer, no cycle of imports', () => {
    expect(layerProblems(SRC)).toEqual([]);
  });

  it('are the ones CONTRIBUTING.md shows, in the same order', () => {
    const guide = readFileSync(join(import.meta.dirname, '../../../CONTRIBUTING.md'), 'utf8');
    const shown = [...guide.matchAll(/^\| `([a-z-]+)\/` \|/gm)].map((m) => m[1]);
    expect(shown).toEqual(LAYERS.map((l) => l.folder));
  });

  it('keep files small: none passes 350 lines', () => {
    const long = readImportGraph(SRC)
      .files.map((file) => ({ file, lines: readFileSync(join(SRC, file), 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > 350);
    expect(long).toEqual([]);
  });

  it('name every folder of src/ once', () => {
    const folders = LAYERS.map((l) => l.folder);
    expect(new Set(folders).size).toBe(folders.length);
  });
});

describe('the layer check', () => {
  let root: string;
  const tree = (files: Record<string, string>) => {
    root = mkdtempSync(join(tmpdir(), 'fd-layers-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  };
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const layers = [
    { folder: 'top', holds: '' },
    { folder: 'middle', holds: '' },
    { folder: 'bottom', holds: '' },
  ];

  it('finds every kind of break in one tree', () => {
    const src = tree({
      'top/a.ts': "import { b } from '../middle/b.js';\nimport Docker from 'dockerode';\n",
      'middle/b.ts': "import type { T } from '../top/a.js';\nexport const b = 1;\n",
      'bottom/c.ts': "export const c = await import('../middle/b.js');\n",
      'bottom/d.ts': "export * from './e.js';\n",
      'bottom/e.ts': "import {\n  d,\n} from './d.js';\n",
      'stray/f.ts': "import { c } from '../bottom/c.js';\n",
      'floor.ts': "import './bottom/c.js';\n",
    });
    expect(layerProblems(src, layers, { dockerode: 'bottom' }).sort()).toEqual(
      [
        'src/stray/ is in no layer: place it in test/support/layers.ts',
        'src/top/a.ts imports dockerode, which only src/bottom/ may import',
        'src/middle/b.ts imports src/top/a.ts: middle/ is below top/',
        'src/bottom/c.ts imports src/middle/b.ts: bottom/ is below middle/',
        'src/floor.ts imports src/bottom/c.ts: the floor (files directly in src/) is below bottom/',
        'a cycle of imports: src/middle/b.ts, src/top/a.ts',
        'a cycle of imports: src/bottom/d.ts, src/bottom/e.ts',
      ].sort(),
    );
  });

  it('lets a folder import itself, those below it and the floor', () => {
    const src = tree({
      'top/a.ts': "import { b } from '../middle/b.js';\nimport { c } from '../bottom/c.js';\nimport { x } from './x.js';\n",
      'top/x.ts': "import { e } from '../errors.js';\n",
      'middle/b.ts': "import { c } from '../bottom/c.js';\n",
      'bottom/c.ts': "import { e } from '../errors.js';\nimport Docker from 'dockerode';\n",
      'errors.ts': 'export const e = 1;\n',
    });
    expect(layerProblems(src, layers, { dockerode: 'bottom' })).toEqual([]);
  });
});
