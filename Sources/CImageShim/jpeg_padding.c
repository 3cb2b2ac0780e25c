#include "shim_internal.h"
#include <stdlib.h>
#include <string.h>

// Arithmetic-coded JPEG data carries no end-of-data check: a decoder that meets a marker supplies
// zero bytes "until decoding is complete" (ITU-T T.81 D.2.6; jdarith.c), and an encoder leaves
// trailing zero bytes out. So a file cut short that keeps a marker after the cut decodes without
// a warning, the rest of its scan made from zeros. What tells a cut from a whole file is how many
// zero bytes the decoder needs: a whole scan needs at most its read-ahead (2–3 bytes) plus the
// zero bytes its encoder left out (a run of k of them has odds of about 256^-k), a cut one about
// as many as were cut off. Writing RL_JPEG_ARITH_PADDING zero bytes before every marker that ends
// entropy-coded data makes that count visible: the decoder reads them as data, and meets the
// marker only when it needed more, which the shim refuses (`rl_jpeg_read`).

/// Length of the marker segment at `p` (its 2-byte length field), or 0 when it runs past `end`.
static size_t segment_length(const uint8_t *p, const uint8_t *end) {
    if (end - p < 4) return 0;
    size_t length = ((size_t)p[2] << 8) | p[3];
    return (length >= 2 && (size_t)(end - p) >= 2 + length) ? 2 + length : 0;
}

uint8_t *rl_jpeg_pad_entropy_data(const uint8_t *data, size_t size, size_t *out_size) {
    // Padding goes before markers only: count the 0xFF bytes not followed by a stuffed 0x00.
    size_t markers = 0;
    for (size_t i = 0; i + 1 < size; i++) markers += data[i] == 0xFF && data[i + 1] != 0x00;
    size_t capacity = size + (markers + 1) * RL_JPEG_ARITH_PADDING;
    uint8_t *out = malloc(capacity);
    if (!out) return NULL;
    const uint8_t *p = data, *end = data + size;
    size_t n = 0;
    if (size < 2 || p[0] != 0xFF || p[1] != 0xD8) { free(out); return NULL; }
    memcpy(out, p, 2); n = 2; p += 2;
    while (p < end) {
        if (end - p < 2) break;
        if (p[0] != 0xFF) { out[n++] = *p++; continue; }                // extraneous byte: libjpeg skips it
        uint8_t code = p[1];
        if (code == 0xFF) { out[n++] = *p++; continue; }                // fill byte
        if (code == 0xD9) { memcpy(out + n, p, 2); n += 2; p += 2; break; }  // EOI
        size_t length = segment_length(p, end);
        if (!length) { free(out); return NULL; }
        memcpy(out + n, p, length); n += length; p += length;
        if (code != 0xDA) continue;
        // Entropy-coded data after SOS: up to a marker other than a stuffed 0xFF00; each restart
        // marker and the final marker get the padding before them.
        for (;;) {
            const uint8_t *start = p;
            while (p + 1 < end && !(p[0] == 0xFF && p[1] != 0x00)) p++;   // skip data and stuffed 0xFF00
            if (p + 1 >= end) { p = end; memcpy(out + n, start, (size_t)(end - start)); n += (size_t)(end - start); break; }
            memcpy(out + n, start, (size_t)(p - start)); n += (size_t)(p - start);
            memset(out + n, 0, RL_JPEG_ARITH_PADDING); n += RL_JPEG_ARITH_PADDING;
            const uint8_t *q = p;
            while (q + 1 < end && q[1] == 0xFF) q++;                       // fill bytes before the code
            if (q + 1 < end && q[1] >= 0xD0 && q[1] <= 0xD7) {              // RSTn: the scan goes on
                memcpy(out + n, p, (size_t)(q + 2 - p)); n += (size_t)(q + 2 - p); p = q + 2;
                continue;
            }
            break;                                                           // the scan's end marker
        }
    }
    memcpy(out + n, p, (size_t)(end - p)); n += (size_t)(end - p);   // bytes after EOI, as they were
    *out_size = n;
    return out;
}
