// When the camera loop reads a frame again at full resolution (plain JavaScript: the app and the
// benchmark, bench/qr.mjs, run this same policy).
//
// Frames are read at CAMERA_FRAME_WIDTH (960 pixels): fast (4 ms median on the benchmark's scenes) and
// enough for a code that fills a good part of the frame. A small code far in the frame can need every
// pixel the camera has. So a frame the small read missed is read again whole, but only while those
// full reads take at most FULL_READ_SHARE of the camera's time: the loop keeps its frame rate, and a
// code the small read finds is never delayed by a full read before it.

/** The width camera frames are read at first: what read best per millisecond in bench/qr.mjs. */
export const CAMERA_FRAME_WIDTH = 960;

/** The most of the camera's time that full-resolution reads may take. */
export const FULL_READ_SHARE = 0.25;

/** The full-resolution reads of one camera session: when the next is due. Times in milliseconds. */
export class FrameReads {
  constructor() {
    this.lastStart = -Infinity;
    this.lastCost = 0;
  }

  /** Whether a frame of `frameWidth` pixels across (its longer side) that the small read missed is
   * read again whole at `now`: it has more pixels than the small read used, and the last full read's
   * cost, spread over the time since it began, is within the share. */
  fullDue(now, frameWidth) {
    if (frameWidth <= CAMERA_FRAME_WIDTH) return false;
    return now - this.lastStart >= this.lastCost / FULL_READ_SHARE;
  }

  /** A full read ran from `start` to `end`. */
  fullDone(start, end) {
    this.lastStart = start;
    this.lastCost = Math.max(0, end - start);
  }
}
