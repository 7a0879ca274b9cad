// docker's size units: decimal (kB, MB) for image sizes and I/O counters, binary (KiB, MiB) for memory.
const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

// Go's "%.Ng": N significant digits, trailing zeros dropped.
function significant(value: number, digits: number): string {
  return String(Number(value.toPrecision(digits)));
}

function customSize(bytes: number, base: number, units: string[], digits: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= base && unit < units.length - 1) {
    size /= base;
    unit++;
  }
  return `${significant(size, digits)}${units[unit]}`;
}

// units.HumanSizeWithPrecision(size, 3): "4.26MB", "0B", "12.3kB".
export function humanSize(bytes: number): string {
  return customSize(bytes, 1000, DECIMAL_UNITS, 3);
}

// units.BytesSize: "1.5MiB", "64MiB", "7.63GiB".
export function bytesSize(bytes: number): string {
  return customSize(bytes, 1024, BINARY_UNITS, 4);
}
