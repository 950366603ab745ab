// Draws images/icon.png (128x128): an Azure-blue rounded tile with a white GitOps loop (a ring with an arrow head,
// Flux's reconcile cycle) around a small diamond (the cluster). Node built-ins only; 4x4 supersampled.
// Run: node scripts/make-icon.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const C = SIZE / 2;

function insideRoundedSquare(x, y) {
  const margin = 4;
  const radius = 26;
  const lo = margin + radius;
  const hi = SIZE - margin - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return dx * dx + dy * dy <= radius * radius;
}

// The loop: a ring from 40° to 340° (clockwise gap at the top right) with an arrow head at its end.
function onRing(x, y) {
  const r = Math.hypot(x - C, y - C);
  if (r < 30 || r > 41) return false;
  let angle = (Math.atan2(y - C, x - C) * 180) / Math.PI; // 0 = east, 90 = south
  if (angle < 0) angle += 360;
  return !(angle > 300 && angle < 345);
}

function inTriangle(px, py, [ax, ay], [bx, by], [cx, cy]) {
  const s1 = (px - bx) * (ay - by) - (ax - bx) * (py - by);
  const s2 = (px - cx) * (by - cy) - (bx - cx) * (py - cy);
  const s3 = (px - ax) * (cy - ay) - (cx - ax) * (py - ay);
  const neg = s1 < 0 || s2 < 0 || s3 < 0;
  const pos = s1 > 0 || s2 > 0 || s3 > 0;
  return !(neg && pos);
}

// Arrow head at the ring's end (angle 300°), pointing along the clockwise direction... towards the gap.
const headAngle = (300 * Math.PI) / 180;
const tangent = [-Math.sin(headAngle), Math.cos(headAngle)]; // direction of increasing angle
const normal = [Math.cos(headAngle), Math.sin(headAngle)];
const base = [C + 35.5 * normal[0], C + 35.5 * normal[1]];
const arrow = [
  [base[0] + 13 * normal[0], base[1] + 13 * normal[1]],
  [base[0] - 13 * normal[0], base[1] - 13 * normal[1]],
  [base[0] + 16 * tangent[0], base[1] + 16 * tangent[1]],
];

function inDiamond(x, y) {
  return Math.abs(x - C) + Math.abs(y - C) <= 15;
}

function colorAt(x, y) {
  if (!insideRoundedSquare(x, y)) return null;
  if (onRing(x, y) || inTriangle(x, y, ...arrow)) return [255, 255, 255];
  if (inDiamond(x, y)) return [80, 230, 255]; // Azure cyan
  // Azure blue, a little lighter towards the top left.
  const t = (x + y) / (2 * SIZE);
  return [Math.round(0 + 20 * (1 - t)), Math.round(94 + 40 * (1 - t)), Math.round(184 + 50 * (1 - t))];
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let py = 0; py < SIZE; py++) {
  for (let px = 0; px < SIZE; px++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const color = colorAt(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        if (!color) continue;
        r += color[0];
        g += color[1];
        b += color[2];
        a++;
      }
    }
    const i = (py * SIZE + px) * 4;
    if (a > 0) {
      rgba[i] = Math.round(r / a);
      rgba[i + 1] = Math.round(g / a);
      rgba[i + 2] = Math.round(b / a);
    }
    rgba[i + 3] = Math.round((255 * a) / (SAMPLES * SAMPLES));
  }
}

const out = new URL('../images/icon.png', import.meta.url);
mkdirSync(new URL('.', out), { recursive: true });
writeFileSync(out, png(SIZE, SIZE, rgba));
process.stderr.write(`wrote ${out.pathname}\n`);
