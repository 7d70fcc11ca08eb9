import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetLabel, scanTileFolder } from '../../../src-main/evaluation/tile-folder';

async function folderWith(files: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'tiles-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
    await writeFile(path.join(folder, name), text);
  }
  return folder;
}

describe('scanTileFolder', () => {
  it('finds each layout of labels and sorts names naturally when the folder mixes them', async () => {
    const folder = await folderWith({
      'train_10.png': '',
      'train_10_inst.png': '',
      'train_2.png': '',
      'train_2_inst.png': '',
      'train_2_type.png': '',
      'mon.png': '',
      'mon.xml': '',
      'pan.png': '',
      'labels_png/pan_inst.png': '',
      'pts.png': '',
      'pts.points.csv': 'x,y\n',
      'lab.png': '',
      'labels_png/lab_label.png': '',
    });

    const scanned = await scanTileFolder(folder);

    expect(scanned.images.map((i) => [i.name, i.labels.format])).toEqual([
      ['lab', 'instance-png'],
      ['mon', 'imagescope-xml'],
      ['pan', 'instance-png'],
      ['pts', 'points-csv'],
      ['train_2', 'instance-png'],
      ['train_10', 'instance-png'],
    ]);
    expect(scanned.hasTypedLabels).toBe(true);
  });

  it('reports typed labels when a points CSV has a class column', async () => {
    const folder = await folderWith({
      'a.png': '',
      'a.points.csv': 'x,y,class\n1,1,2\n',
    });

    expect((await scanTileFolder(folder)).hasTypedLabels).toBe(true);
  });

  it('throws naming the folder when it does not exist', async () => {
    await expect(scanTileFolder('/no/such/folder')).rejects.toThrow(
      'No folder at /no/such/folder.',
    );
  });

  it('throws when the folder holds no images', async () => {
    const folder = await folderWith({ 'notes.txt': '' });

    await expect(scanTileFolder(folder)).rejects.toThrow(/No images/);
  });

  it('throws naming the image when one has no labels', async () => {
    const folder = await folderWith({ 'a.png': '', 'a_inst.png': '', 'b.png': '' });

    await expect(scanTileFolder(folder)).rejects.toThrow(/^Image b has no labels/);
  });
});

describe('datasetLabel', () => {
  it('names the data by the last two folders of the path', () => {
    expect(datasetLabel('/data/monuseg/test/')).toBe('monuseg/test');
  });
});
