// Types of frame-reads.mjs.
export const CAMERA_FRAME_WIDTH: number;
export const FULL_READ_SHARE: number;
export class FrameReads {
  fullDue(now: number, frameWidth: number): boolean;
  fullDone(start: number, end: number): void;
}
