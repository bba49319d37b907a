// Types of scenes.mjs, for the TypeScript tests that use it.
export type Look = Record<string, number | boolean>;
export type Scene = { text: string; look: Look; kind: string; seed: number };
export function random(seed: number): () => number;
export function checkoutTexts(rand: () => number, n: number): string[];
export function render(text: string, look: Look, width: number, height: number, rand: () => number): Uint8ClampedArray;
export function scenes(count: number, seed?: number): Scene[];
export function downscale(data: Uint8ClampedArray, w: number, h: number, tw: number): { data: Uint8ClampedArray; width: number; height: number };
