/**
 * `render <slide> --region x,y,w,h --out file.png`: the region's pixels with the
 * stored nuclei outlines coloured by type, for people to check the result by eye.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { Rect } from '../../../src-shared/geometry';
import { VERDICT_PRESENTATION, type Verdict } from '../../../src-shared/verdict';
import { renderRegion } from '../../analysis/region-render';
import { defaultDatabasePath } from '../../store/default-path';
import type { CliCommand, CliIo } from '../command-registry';
import { nonEmptyPath, parseRegion, wholeNumberIn } from '../option-parsers';

interface RenderFlags {
  region: Rect;
  level: number;
  out: string;
  db?: string;
  analysis?: number;
  force?: boolean;
}

/** A path ending in `.png`: render writes PNG, and a `.jpg` name would mislabel it. */
function pngPath(text: string): string {
  if (!/\.png$/i.test(text.trim()))
    throw new InvalidArgumentError(`expected a file name ending in .png, got "${text}"`);
  return text;
}

/** Said when a region narrower than the caption was widened for it. */
const MARGIN_NOTE = ', and a white margin right of it';

async function render(slidePath: string, flags: RenderFlags, io: CliIo): Promise<void> {
  const result = await renderRegion({
    slidePath,
    dbPath: flags.db ?? defaultDatabasePath(),
    regionBase: flags.region,
    level: flags.level,
    outPath: flags.out,
    analysisId: flags.analysis,
    isReplacing: flags.force === true,
  });
  io.stdout(
    `Rendered a ${result.pictureWidthPx}x${result.pictureHeightPx} px PNG: the region ` +
      `(${result.widthPx}x${result.heightPx} px at its top left) with ` +
      `${result.nucleiDrawn} nuclei of analysis ${result.analysisId}, above a ` +
      `${result.captionPx} px caption with the slide verdict and the type colours` +
      `${result.pictureWidthPx > result.widthPx ? MARGIN_NOTE : ''}.\n`,
  );
  const cut = result.cutRegion;
  if (cut) {
    io.stdout(
      `Note: the region reached past the slide's edge; drawn was ${cut.x},${cut.y},` +
        `${cut.width},${cut.height} (level-0 px).\n`,
    );
  }
  const { unfinished } = result;
  if (unfinished) {
    io.stdout(
      `Note: analysis ${result.analysisId} is not finished (${unfinished.status}, ` +
        `${unfinished.committedTiles} of ${unfinished.plannedTiles} tiles); only the ` +
        'nuclei of its finished tiles are drawn. Run analyze again to finish it.\n',
    );
  }
  io.stdout(verdictLine(result.analysisId, result.slideVerdict));
  const analysed = result.partlyAnalysedRegion;
  if (analysed) {
    io.stdout(
      `Note: analysis ${result.analysisId} covered only the level-0 region ` +
        `${analysed.x},${analysed.y},${analysed.width},${analysed.height}; ` +
        'nuclei outside it were not analysed, so none are drawn there.\n',
    );
  }
}

/**
 * The analysis's slide verdict, beside a picture whose coloured outlines look
 * equally confident whatever it is.
 */
export function verdictLine(analysisId: number, verdict: Verdict | null): string {
  const label = verdict ? VERDICT_PRESENTATION[verdict].label : 'not triaged yet';
  const line = `Verdict of analysis ${analysisId}: ${label}.`;
  if (verdict !== 'out-of-domain') return `${line}\n`;
  return (
    `${line} The model's nuclei are not to be used on this slide; the outlines ` +
    'are drawn for inspection only.\n'
  );
}

/** The `render` command. */
export const renderCommand: CliCommand = {
  name: 'render',
  register(program: Command, io: CliIo): void {
    program
      .command('render')
      .description('Draw the stored nuclei of a slide region over its pixels, as a PNG.')
      .argument('<slide>', 'slide file')
      .requiredOption('--region <x,y,w,h>', 'region in level-0 pixels', parseRegion)
      .requiredOption('--out <file.png>', 'PNG file to write', pngPath)
      .option(
        '--level <n>',
        'pyramid level to read (0 is full resolution)',
        wholeNumberIn(0, 63),
        0,
      )
      .option(
        '--analysis <id>',
        'analysis to draw (default: the newest finished one covering the region)',
        wholeNumberIn(1, Number.MAX_SAFE_INTEGER),
      )
      .option(
        '--db <path>',
        'results database (default: CELLVIT_DB or the workstation database)',
        nonEmptyPath,
      )
      .option('--force', 'replace a file already at --out')
      .action((slidePath: string, flags: RenderFlags) => render(slidePath, flags, io));
  },
};
