/**
 * The length of `text` in Unicode code points: the one way every limit on ids and values is counted (the
 * request schemas' zod `max` counts code points too), so an id of 129 emoji (258 UTF-16 units) is 129
 * characters in validate-data, the API and the batch tools alike. Fast path: no surrogate, no counting.
 */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point; a lone surrogate counts as one.
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}
