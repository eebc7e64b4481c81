/**
 * Local lake files that begin with a UTF-8 byte order mark (EF BB BF: a loader on Windows, an
 * export from a spreadsheet). Athena's line reader skips a BOM at the start of a file, as Hadoop's
 * LineRecordReader does (Trino's TextLineReader), so such a file reads as if the mark were not
 * there: a file that is only a BOM holds no row. DuckDB's JSON reader skips it only when it scans
 * several files at once; a file scanned alone (a one-file partition, a rollup of one day) reads
 * the mark as the start of a malformed first line, which lost that line's event. So the local
 * engine reads such a file through a copy without the mark: the same rows as Athena, whatever the
 * file's neighbours. Copies are rare (a lake written with BOMs is the exception) and live in a
 * temporary folder of the engine, removed when it closes.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { partitionOf } from './lake-files';

/** How much of a file is read to see its first characters (a gzip header and its first block fit). */
const HEAD_BYTES = 16 * 1024;

const isGzip = (file: string) => file.toLowerCase().endsWith('.gz');

const startsWithBom = (b: Uint8Array) => b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/** The first bytes of `file`'s text (decompressed for `.gz`), at least 3 where the text has them; null when it cannot tell. */
function textHead(file: string): Uint8Array | null {
  const fd = openSync(file, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    head = buffer.subarray(0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
  if (!isGzip(file)) return head;
  try {
    // A partial stream: decompress what is there without requiring its end.
    const text = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    return text.length >= 3 || head.length < HEAD_BYTES ? text : gunzipSync(readFileSync(file));
  } catch {
    // Not gzip after all, or damaged: DuckDB reads it and fails naming the file.
    return null;
  }
}

/** The lake files DuckDB reads, with a BOM-less copy in place of each file whose text begins with a BOM. */
export class BomFreeLakeFiles {
  private folder: string | undefined;

  /**
   * `files` (same order) with each file that begins with a BOM replaced by a copy without it, in a
   * `<partition>=<day>/` folder of its own so the copy keeps its partition day.
   */
  map(files: readonly string[], partition: string): string[] {
    return files.map((file, i) => {
      const head = textHead(file);
      if (head === null || !startsWithBom(head)) return file;
      this.folder ??= mkdtempSync(join(tmpdir(), 'nsm-lake-bom-'));
      const day = partitionOf(file, partition) ?? '';
      const dir = join(this.folder, String(i), `${partition}=${day}`);
      mkdirSync(dir, { recursive: true });
      const text = isGzip(file) ? gunzipSync(readFileSync(file)) : readFileSync(file);
      const copy = join(dir, isGzip(file) ? basename(file).slice(0, -'.gz'.length) : basename(file));
      writeFileSync(copy, text.subarray(3));
      return copy;
    });
  }

  /** Removes the copies. */
  dispose(): void {
    if (this.folder !== undefined) rmSync(this.folder, { recursive: true, force: true });
    this.folder = undefined;
  }
}
