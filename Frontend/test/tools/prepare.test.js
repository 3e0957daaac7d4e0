import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { lockHash, sourcesHash, whatIsNeeded, writeStamp } from '../../scripts/prepare.mjs';

/** A Frontend/ folder in miniature, as after `npm ci` and `npm run build` recorded their stamps. */
function preparedFolder() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'phase4-prepare-'));
  const write = (file, text) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('package-lock.json', '{"lockfileVersion":3}');
  write('index.html', '<div id="root"></div>');
  write('src/App.tsx', 'export const App = () => null;');
  write('src/App.test.tsx', 'test');
  write('src/test/fakeBackend.ts', 'fake');
  write('dist/index.html', 'built');
  fs.mkdirSync(path.join(root, 'node_modules'));
  writeStamp(root, 'install', lockHash(root));
  writeStamp(root, 'build', sourcesHash(root));
  return { root, write };
}

describe('the AppHost preparation step', () => {
  /** @type {ReturnType<typeof preparedFolder>} */
  let folder;
  beforeEach(() => {
    folder = preparedFolder();
  });

  it('does nothing when the install and the build are current', () => {
    expect(whatIsNeeded(folder.root)).toEqual({ install: false, build: false });
  });

  it('installs and builds when node_modules is missing', () => {
    fs.rmSync(path.join(folder.root, 'node_modules'), { recursive: true });
    expect(whatIsNeeded(folder.root)).toEqual({ install: true, build: true });
  });

  it('installs and builds again when package-lock.json changed', () => {
    folder.write('package-lock.json', '{"lockfileVersion":3,"packages":{}}');
    expect(whatIsNeeded(folder.root)).toEqual({ install: true, build: true });
  });

  it('builds when a source file changed, not when only its timestamp did', () => {
    const file = path.join(folder.root, 'src/App.tsx');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 60_000));
    expect(whatIsNeeded(folder.root).build).toBe(false);
    folder.write('src/App.tsx', 'export const App = () => "changed";');
    expect(whatIsNeeded(folder.root)).toEqual({ install: false, build: true });
  });

  it('builds when a source file is added, or when dist/ is gone', () => {
    folder.write('src/New.tsx', 'export {};');
    expect(whatIsNeeded(folder.root).build).toBe(true);
    writeStamp(folder.root, 'build', sourcesHash(folder.root));
    fs.rmSync(path.join(folder.root, 'dist'), { recursive: true });
    expect(whatIsNeeded(folder.root).build).toBe(true);
  });

  it('ignores changes to tests, which are not part of the built app', () => {
    folder.write('src/App.test.tsx', 'changed test');
    folder.write('src/test/fakeBackend.ts', 'changed fake');
    expect(whatIsNeeded(folder.root)).toEqual({ install: false, build: false });
  });
});
