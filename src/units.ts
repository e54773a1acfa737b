// Sizes and durations as people type and read them. Sizes are decimal, as on disks and networks:
// 1 kB = 1,000 bytes and 1 MB = 1,000,000 bytes, in flags and in output alike (KiB and MiB are
// accepted in flags for those who mean 1,024).

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  k: 1000,
  kb: 1000,
  m: 1000 ** 2,
  mb: 1000 ** 2,
  g: 1000 ** 3,
  gb: 1000 ** 3,
  ki: 1024,
  kib: 1024,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
};

/** 1536 -> "1.5 kB", 20_000_000 -> "20 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const shown = value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
  return `${shown} ${units[unit]}`;
}

/**
 * A size as --max-body and the other size flags take it: "10 MB", with the exact bytes beside it when
 * the rounded form would not read back as the same number ("10.5 MB (10,500,000 bytes)" stays exact).
 */
export function formatSize(bytes: number): string {
  const shown = formatBytes(bytes);
  return parseBytes(shown) === bytes ? shown : `${shown} (${bytes.toLocaleString('en-US')} bytes)`;
}

/** "10mb", "512kb", "64KiB", "1048576" -> bytes; NaN when it is not a size. */
export function parseBytes(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const scale = match && SIZE_UNITS[(match[2] || 'b').toLowerCase()];
  return scale ? Math.floor(Number(match[1]) * scale) : NaN;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as local "HH:MM:SS", or "YYYY-MM-DD HH:MM:SS" with the date. */
export function formatTime(iso: string, withDate = false): string {
  const d = new Date(iso);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withDate ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}` : time;
}

/** "10m", "7d", "30s", "1.5h", "250ms", or a bare number of seconds -> milliseconds; NaN when it is not one. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!match) return NaN;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 's').toLowerCase() as 's'];
  return Math.round(Number(match[1]) * unit);
}

/** 95_000 -> "1m 35s": elapsed times in progress lines. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms / 100) / 10}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** 120_000 -> "2m", 1500 -> "1.5s", 250 -> "250ms": a duration as a flag would take it. */
export function formatFlagDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`;
}
