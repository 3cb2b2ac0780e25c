// The only C in reslab. libpng and libjpeg report fatal errors by longjmp, which Swift cannot
// catch ("functions that may return more than one time are unavailable in Swift"), so each
// function here sets the jump point, calls the library, and turns an error into a return code
// and a message. Pixel conversion, EXIF, limits and policy live in Swift (module ImageIO).
#ifndef RESLAB_IMAGE_SHIM_H
#define RESLAB_IMAGE_SHIM_H

#include <stddef.h>
#include <stdint.h>

#define RL_MESSAGE_SIZE 200
/// libjpeg-turbo has 12 warning codes (JWRN_*), so every distinct one fits.
#define RL_MAX_WARNINGS 16

/// What a library said: the fatal error (if a call failed) and the warnings seen so far.
/// Warnings are kept once per message code, so that a warning raised late (premature end of
/// file) is not lost behind many early ones (extraneous bytes before every restart marker).
typedef struct {
    char error[RL_MESSAGE_SIZE];
    /// libjpeg message code (J_MESSAGE_CODE) of the fatal error; 0 for libpng.
    int error_code;
    /// All warnings raised, repeats included.
    int warning_count;
    /// The distinct warnings in order of first appearance: message code (J_MESSAGE_CODE for
    /// libjpeg, 0 for every libpng warning) and the text of its first occurrence.
    int distinct_warning_count;
    int warning_codes[RL_MAX_WARNINGS];
    char warning_messages[RL_MAX_WARNINGS][RL_MESSAGE_SIZE];
} rl_messages;

// MARK: PNG

typedef struct rl_png_reader rl_png_reader;

/// The decoded layout after expansion: palette → RGB, gray below 8 bits → 8 bits, tRNS → alpha.
typedef struct {
    uint32_t width, height;
    int channels;      ///< 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
    int bit_depth;     ///< 8 or 16 (16-bit samples in host byte order)
    int interlaced;    ///< 1 for Adam7
    int color_type;    ///< PNG colour type as stored (0, 2, 3, 4, 6)
    int stored_bit_depth;
} rl_png_info;

/// Reads the header and chunks before the image data. Returns NULL on error (message in `messages`).
rl_png_reader *rl_png_open(const uint8_t *data, size_t size, rl_png_info *info, rl_messages *messages);
/// Decodes every row into `pixels` (height rows of `row_bytes`), then reads to IEND.
/// Returns 0 on success.
int rl_png_read(rl_png_reader *reader, uint8_t *pixels, size_t row_bytes, rl_messages *messages);
void rl_png_close(rl_png_reader *reader);

/// Encodes 8-bit pixels (channels 1, 2, 3 or 4) to a PNG in memory. On success returns 0 and
/// sets `*out`, which the caller releases with `rl_free`.
int rl_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                  uint8_t **out, size_t *out_size, rl_messages *messages);

// MARK: JPEG

typedef struct rl_jpeg_reader rl_jpeg_reader;

/// Scans a JPEG may have before it is refused (libjpeg-turbo's `djpeg -maxscans` guard).
#define RL_JPEG_MAX_SCANS 1000
/// `rl_messages.error_code` of a file with more than RL_JPEG_MAX_SCANS scans (not a libjpeg code).
#define RL_JPEG_TOO_MANY_SCANS (-1000)
/// Warning code (not a libjpeg one) of Huffman-coded data that runs into the end-of-image
/// marker: libjpeg's JWRN_HIT_MARKER where the marker met is EOI, so the file was cut short.
#define RL_JPEG_DATA_ENDS_AT_EOI (-1002)
/// `rl_messages.error_code` of an arithmetic-coded file whose data ends (at a marker) before its
/// scan does (not a libjpeg code: libjpeg pads such data with zeros silently).
#define RL_JPEG_EARLY_END (-1001)

typedef struct {
    uint32_t image_width, image_height;   ///< as stored
    uint32_t output_width, output_height; ///< after DCT scaling
    int output_components;                ///< 1 gray, 3 RGB, 4 CMYK (Adobe-inverted when `adobe_marker`)
    int jpeg_color_space;                 ///< J_COLOR_SPACE of the file
    int adobe_marker;                     ///< 1 when an Adobe APP14 marker was seen
    int data_precision;
    int progressive;
    int arithmetic;
} rl_jpeg_info;

/// Reads the header and chooses the output colour space (CMYK for CMYK and YCCK files, since
/// libjpeg-turbo refuses RGB output for them). `scale_denom` is 1, 2, 4 or 8.
rl_jpeg_reader *rl_jpeg_open(const uint8_t *data, size_t size, int scale_denom,
                             rl_jpeg_info *info, rl_messages *messages);
/// Decodes all scanlines into `pixels` (output_height rows of `row_bytes`). Returns 0 on success;
/// warnings (corrupt or truncated data) are left in `messages` for the caller to judge.
int rl_jpeg_read(rl_jpeg_reader *reader, uint8_t *pixels, size_t row_bytes, rl_messages *messages);
void rl_jpeg_close(rl_jpeg_reader *reader);

void rl_free(void *pointer);

#endif
