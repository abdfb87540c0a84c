/** 10^0 … 10^22: every one is an exact double, which the fast path below relies on. */
const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The double of a JSON number written in ASCII at `bytes[start, end)` (grammar already checked), equal to what
 * `JSON.parse` gives. Most scores take the exact fast path (Clinger): a mantissa of at most 2^53 scaled by at
 * most 10^22 is one correctly rounded IEEE operation. Anything longer or larger goes through `Number`.
 */
export function jsonNumberAt(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = bytes[i] === 45;
  if (negative) i++;
  let mantissa = 0;
  let exponent = 0;
  let c = bytes[i]!;
  for (; i < end && c >= 48 && c <= 57; c = bytes[++i]!) mantissa = mantissa * 10 + (c - 48);
  if (i < end && c === 46) {
    for (c = bytes[++i]!; i < end && c >= 48 && c <= 57; c = bytes[++i]!) {
      mantissa = mantissa * 10 + (c - 48);
      exponent--;
    }
  }
  if (i < end) {
    // An exponent: `e` or `E`, an optional sign, digits.
    c = bytes[++i]!;
    const negativeExponent = c === 45;
    if (c === 45 || c === 43) c = bytes[++i]!;
    let written = 0;
    for (; i < end && written < 1000; c = bytes[++i]!) written = written * 10 + (c - 48);
    exponent += negativeExponent ? -written : written;
  }
  if (mantissa > Number.MAX_SAFE_INTEGER || exponent < -22 || exponent > 22) {
    return Number(String.fromCharCode(...bytes.subarray(start, end)));
  }
  const value = exponent < 0 ? mantissa / POW10[-exponent]! : mantissa * POW10[exponent]!;
  return negative ? -value : value;
}
